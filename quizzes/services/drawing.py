"""Drawing the questions of a new sitting, with each question's snapshot built once per version.

Building a snapshot loads the question's subtype row and its options (about ten queries for a
16-question quiz of mixed types) and is the same for every person: only the draw, the question order
and the option order differ. So snapshots are cached in the process, keyed by ``(pk, updated_at)``:
an edit of a question, or of one of its options (:func:`~quizzes.models.questions.touch_question`),
gives it a new key, and a sitting keeps the copy it was started with, as before. Each person gets a
copy with their own shuffle; the cached originals are never changed.

The cache is per process (no worker needs another's) and bounded; a miss only costs the queries a
start always cost before.
"""

import random
import threading
from collections import OrderedDict

from ..models import QUESTION_TYPES, Question
from ..models.quizzes import clear_plan_cache, load_options

CACHE_SIZE = 4096  # snapshots (a few kB each)
SHUFFLED_LISTS = ("options", "left", "right")

_cache = OrderedDict()
_lock = threading.Lock()


def clear_cache():
    """Forget the cached snapshots and the quizzes' cached draw plans."""
    with _lock:
        _cache.clear()
    clear_plan_cache()


def question_snapshots(versions):
    """``{pk: snapshot}`` for ``[(pk, updated_at), ...]``; the snapshots are shared: do not change them."""
    found, missing = {}, []
    with _lock:
        for version in versions:
            snapshot = _cache.get(version)
            if snapshot is None:
                missing.append(version)
            else:
                _cache.move_to_end(version)
                found[version[0]] = snapshot
    if missing:
        loaded = Question.objects.filter(pk__in=[pk for pk, _updated in missing])
        questions = {question.pk: question for question in loaded}
        load_options(list(questions.values()))
        with _lock:
            for pk, updated in missing:
                question = questions[pk]
                snapshot = question.snapshot()
                # Keyed by the version the draw saw: a question edited meanwhile is built again next time.
                _cache[(pk, updated)] = found[pk] = snapshot
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return found


def opaque_id(rng):
    """A fresh id for an option or matching item in one sitting: 8 random hex digits."""
    return f"{rng.getrandbits(32):08x}"


def draw_snapshots(quiz, rng=None):
    """:func:`draw_versioned_snapshots` without the versions."""
    return draw_versioned_snapshots(quiz, rng)[1]


def draw_versioned_snapshots(quiz, rng=None):
    """The snapshots of one new sitting in the order the person sees them, with fresh opaque ids for
    options and matching items (so an id never gives the key away: authors write the right answer
    first, and ids used to follow that order), options shuffled if the quiz says so. Raises what
    :meth:`~quizzes.models.Quiz.draw_question_versions` raises. Returns ``(versions, snapshots)``, the
    versions being the ``(pk, updated_at)`` of the drawn questions the snapshots were made from."""
    rng = rng or random.SystemRandom()
    versions = quiz.draw_question_versions(rng=rng)  # the quiz's cached draw plan
    shared = question_snapshots(versions)
    snapshots = []
    for pk, _updated in versions:
        snapshot = shared[pk]
        snapshot = dict(QUESTION_TYPES[snapshot["type"]].with_opaque_ids(snapshot, lambda: opaque_id(rng)))
        for name in SHUFFLED_LISTS:
            if name in snapshot:
                snapshot[name] = list(snapshot[name])
                if quiz.shuffle_options:
                    rng.shuffle(snapshot[name])
        snapshots.append(snapshot)
    return versions, snapshots
