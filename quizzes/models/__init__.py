from .bank import Category, TaggedQuestion
from .campaigns import ExtraTime, TestCampaign
from .notices import CampaignNotice
from .operations import AttemptAllowance, PersonOperation
from .prepared import PreparedPaper
from .questions import (
    QUESTION_TYPES,
    Choice,
    EssayQuestion,
    MatchingPair,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericAnswer,
    NumericQuestion,
    Question,
    ShortAnswer,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TextFormat,
    TrueFalseQuestion,
    public_payload,
    score_snapshot,
)
from .quizzes import Quiz, QuizDraw, QuizQuestion
from .sittings import ANSWER_GRACE, Response, Sitting

__all__ = [
    "ANSWER_GRACE",
    "QUESTION_TYPES",
    "AttemptAllowance",
    "CampaignNotice",
    "Category",
    "Choice",
    "EssayQuestion",
    "ExtraTime",
    "MatchingPair",
    "MatchingQuestion",
    "MultipleChoiceQuestion",
    "NumericAnswer",
    "NumericQuestion",
    "PersonOperation",
    "PreparedPaper",
    "Question",
    "Quiz",
    "QuizDraw",
    "QuizQuestion",
    "Response",
    "ShortAnswer",
    "ShortTextQuestion",
    "SingleChoiceQuestion",
    "Sitting",
    "TaggedQuestion",
    "TestCampaign",
    "TextFormat",
    "TrueFalseQuestion",
    "public_payload",
    "score_snapshot",
]
