"""Shapes of the test-taking API. Nothing here can carry correctness while a sitting is in progress:
questions are the public payload (``Sitting.public_questions()``), and answers are the person's own."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Path, Schema

# An id in a URL: a positive integer. Anything else is a documented 422, not an unmatched URL
# (which APPEND_SLASH would answer with an undocumented redirect).
MAX_ID = 2**63 - 1  # PostgreSQL bigint
PositiveId = Annotated[int, Path(ge=1, le=MAX_ID)]


class Error(Schema):
    detail: str = Field(description="Сообщение об ошибке для человека (по-русски).")


class MySitting(Schema):
    id: int
    state: str
    percent: Decimal | None = None
    passed: bool | None = None


class CampaignOut(Schema):
    id: int
    title: str
    description: str
    quiz_title: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    is_open: bool
    time_limit: int | None = Field(
        description="Минуты, с дополнительным временем слушателя; null — без ограничения."
    )
    question_count: int
    state: str = Field(description="not_started, in_progress, needs_grading, finished")
    sitting: MySitting | None = None
    attempts_left: int | None = Field(description="null — без ограничения.")
    can_start: bool


class MatchTarget(Schema):
    id: int | str
    text: str


class Option(MatchTarget):
    html: str = Field(description="Текст в формате вопроса, как безопасный HTML.")


class PublicQuestion(Schema):
    """What the browser may see of a question (a whitelist of the sitting's snapshot)."""

    id: int
    type: str
    text: str
    html: str = Field(description="Текст вопроса в его формате (HTML, Markdown…) как безопасный HTML.")
    points: str
    image: str = ""
    unit: str | None = None
    options: list[Option] | None = None
    left: list[Option] | None = None
    right: list[MatchTarget] | None = None


class SavedAnswer(Schema):
    question_id: int
    answer: Any = None
    seq: int
    saved_at: datetime.datetime


class SittingOut(Schema):
    id: int
    campaign_id: int | None
    title: str
    number: int
    state: str
    started_at: datetime.datetime
    deadline: datetime.datetime | None
    server_now: datetime.datetime
    seconds_left: int | None = Field(description="null — без ограничения времени.")
    result_url: str
    questions: list[PublicQuestion]
    answers: list[SavedAnswer]


class AnswerIn(Schema):
    answer: Any = Field(None, description="Ответ в формате своего типа вопроса; null — нет ответа.")
    seq: int = Field(
        ge=0, le=MAX_ID, description="Номер сохранения: растёт с каждым изменением ответа на вопрос."
    )


class AnswerSaved(Schema):
    question_id: int
    seq: int = Field(description="Номер сохранённого ответа: больше отправленного, если новее уже есть.")
    saved_at: datetime.datetime
    server_now: datetime.datetime
    seconds_left: int | None


class ReviewItem(Schema):
    number: int
    id: int
    type: str
    text: str
    html: str
    points: str
    my_answer: Any = None
    my_answer_text: str
    correct_answer_text: str
    fraction: Decimal | None
    is_correct: bool | None
    needs_grading: bool
    withheld: bool = Field(
        description="Вопрос ещё может встретиться этому человеку в открытом тестировании, курсе или "
        "тесте по итогам мероприятия: верный ответ, оценка и пояснение не показываются."
    )
    grader_comment: str
    explanation: str
    explanation_html: str
    legal_norm: str
    feedback: list[str] = Field(
        default_factory=list, description="Отзыв преподавателя на данный ответ (как в Moodle), если он задан."
    )
    feedback_html: list[str] = Field(default_factory=list)


class ResultOut(Schema):
    id: int
    state: str
    state_label: str
    finished_at: datetime.datetime | None
    percent: Decimal | None
    passed: bool | None
    points: Decimal | None
    max_points: Decimal
    pass_mark: int
    review_available: bool
    result_url: str


class ResultWithReview(ResultOut):
    """``questions`` is present only when the quiz's review policy allows it now."""

    questions: list[ReviewItem] | None = None
