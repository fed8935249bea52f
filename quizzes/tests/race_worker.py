"""A worker process for test_concurrency: many of these hit one database file at the same moment.

Usage: ``python -m quizzes.tests.race_worker <action> <go_at> <json args>``; prints a JSON result.
``DATABASE_URL`` names the shared database. Not collected by pytest (no ``test_`` prefix).
"""

import json
import os
import random
import sys
import time
from collections import Counter


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    action, go_at, args = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])
    handler = ACTIONS[action]
    time.sleep(max(0.0, go_at - time.time()))  # every worker starts at the same instant
    print(json.dumps(handler(**args)))


def setup(questions):
    from people.factories import make_person
    from quizzes.factories import make_quiz, make_true_false

    quiz = make_quiz([make_true_false(value=True) for _ in range(questions)], time_limit=None)
    return {"user": make_person().pk, "quiz": quiz.pk}


def start(user, quiz):
    from people.models import User
    from quizzes.models import Quiz
    from quizzes.services import start_sitting

    return {"sitting": start_sitting(User.objects.get(pk=user), Quiz.objects.get(pk=quiz)).pk}


def save(sitting, seqs, finish=False):
    """Save answers with these sequence numbers (answer ``True`` for even seq) to every question."""
    from quizzes.exceptions import QuizError
    from quizzes.models import Sitting
    from quizzes.services import finish_sitting, save_answer

    outcomes = Counter()
    sitting = Sitting.objects.get(pk=sitting)
    random.shuffle(seqs)
    for seq in seqs:
        for question in sitting.question_order:
            try:
                save_answer(sitting, question, {"value": seq % 2 == 0}, seq)
                outcomes["saved"] += 1
            except QuizError as error:
                outcomes[type(error).__name__] += 1
            except Exception as error:
                outcomes[f"{type(error).__name__}: {error}"] += 1
    if finish:
        finish_sitting(sitting)
    return dict(outcomes)


ACTIONS = {"setup": setup, "start": start, "save": save}


if __name__ == "__main__":
    main()
