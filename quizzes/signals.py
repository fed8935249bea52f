"""Signal receivers of remote testing: tell the live monitor when a campaign's sitting starts or ends;
bump a quiz's version when its fixed questions change in bulk."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from .models import Quiz, Sitting
from .models.quizzes import touch_quizzes
from .monitor import notify_campaign_changed


def sitting_saved(sender, instance, created, update_fields=None, **kwargs):
    """A campaign sitting was created or changed state: notify after the commit (cheap, no query)."""
    if instance.campaign_id is None:
        return
    if not created and update_fields is not None and "state" not in update_fields:
        return
    campaign_id = instance.campaign_id
    transaction.on_commit(lambda: notify_campaign_changed(campaign_id), robust=True)


def quiz_questions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """``quiz.questions.add()/remove()/clear()`` (or ``question.quizzes...``) write the fixed questions
    in bulk, without ``QuizQuestion.save()``: bump the versions of the cached draw plans anyway."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        touch_quizzes(pk=instance.pk)
    elif pk_set:
        touch_quizzes(pk__in=pk_set)
    elif action == "post_clear":
        touch_quizzes()  # pk_set is not given on clear(): the question's quizzes are unknown by now


def connect():
    post_save.connect(sitting_saved, sender=Sitting, dispatch_uid="quizzes_sitting_saved_monitor")
    m2m_changed.connect(
        quiz_questions_changed, sender=Quiz.questions.through, dispatch_uid="quizzes_quiz_questions_changed"
    )
