"""How far guessing gets on a quiz: the integrity figures of issue 12, on the demo region's quiz.

Draws ``--sittings`` sittings of the quiz the way a start does (questions, shuffles and the opaque
option ids of each sitting; nothing is written) and plays the strategy that passed the demo campaign
knowing nothing: the lowest option id in choice questions, «верно» in true/false, the first right item
for every left item in matching, nothing typed. It reports

* how often the lowest option id, and the first option shown, is the right one in single-choice
  questions, beside chance (1 / number of options);
* the strategy's percent per sitting (mean, max) and how many sittings it passes.

Run it on a database with the demo region (``make run`` builds one in ``db.sqlite3``):

    .venv/bin/python benchmarks/guessing.py --database-url sqlite:///db.sqlite3 --sittings 500

Figures and commands: ``docs/performance.md``.
"""

import argparse
import json
import os
import statistics
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_QUIZ = "Знание законодательства о противодействии коррупции"


def guess(snapshot):
    """The knowing-nothing answer to one question, or None where it types nothing."""
    kind = snapshot["type"]
    if kind in ("single", "multiple"):
        lowest = min(option["id"] for option in snapshot["options"])
        return {"choice": lowest} if kind == "single" else {"choices": [lowest]}
    if kind == "truefalse":
        return {"value": True}
    if kind == "matching":
        first = snapshot["right"][0]["id"]
        return {"pairs": {item["id"]: first for item in snapshot["left"]}}
    return None


def measure(quiz, user, sittings):
    from django.utils import timezone

    from quizzes.models import score_snapshot
    from quizzes.services import build_sitting

    now = timezone.now()
    lowest = first = trials = 0
    chance = 0.0
    percents = []
    for _n in range(sittings):
        sitting = build_sitting(user, quiz, number=1, now=now)
        earned = Decimal(0)
        for snapshot in sitting.questions():
            if snapshot["type"] == "single":
                ids = [option["id"] for option in snapshot["options"]]
                lowest += min(ids) in snapshot["key"]["correct"]
                first += ids[0] in snapshot["key"]["correct"]
                chance += 1 / len(ids)
                trials += 1
            answer = guess(snapshot)
            if answer is not None:
                earned += Decimal(snapshot["points"]) * score_snapshot(snapshot, answer)
        percents.append(float(earned * 100 / sitting.max_score))
    return {
        "sittings": sittings,
        "single_choice_questions": trials,
        "lowest_id_right": round(lowest / trials, 3) if trials else None,
        "first_shown_right": round(first / trials, 3) if trials else None,
        "chance": round(chance / trials, 3) if trials else None,
        "strategy_percent_mean": round(statistics.mean(percents), 1),
        "strategy_percent_max": round(max(percents), 1),
        "strategy_passes": sum(percent >= quiz.pass_mark for percent in percents),
        "pass_mark": quiz.pass_mark,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a database with the demo region")
    parser.add_argument("--sittings", type=int, default=500)
    parser.add_argument("--quiz", default=DEMO_QUIZ, help="the quiz's title")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from people.models import User
    from quizzes.models import Quiz

    quiz = Quiz.objects.get(title=args.quiz)
    user = User.objects.filter(is_active=True).order_by("pk").first()
    print(json.dumps(measure(quiz, user, args.sittings), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
