"""Personal data of the students' contest (registered in :func:`events.contest.register`).

Contestants are not users of the site, so the people's rules (leavers, «Мои данные») do not reach them;
the contest has its own retention rule: ``RETENTION_CONTEST_YEARS`` after the contest's judging ended,
each contestant's name, e-mail, password, birth date, institution, the parent's name and consent form and
the files of their works are erased. The rows stay, with works' codes, titles, scores and places, so the
results remain; a winner is then shown without a name.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from people.privacy import RetentionRule, register_rule

from ..models import Contestant, Work


def erase_contestants(contestants, now=None):
    """Erase the personal data of ``contestants`` (a queryset); returns how many."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for contestant in contestants.filter(data_erased_at=None).select_for_update(of=("self",)):
            names = [contestant.consent_file.name] if contestant.consent_file else []
            names += [work.file.name for work in Work.objects.filter(contestant=contestant) if work.file]
            storage = Contestant._meta.get_field("consent_file").storage
            transaction.on_commit(lambda storage=storage, names=names: [storage.delete(n) for n in names])
            Work.objects.filter(contestant=contestant).update(file="", file_name="")
            Contestant.objects.filter(pk=contestant.pk).update(
                email=f"erased-{contestant.pk}@invalid",
                password="!",
                last_name="",
                first_name="",
                patronymic="",
                birth_date=None,
                institution="",
                parent_name="",
                consent_file="",
                token_hash="",
                publish_name=False,
                data_erased_at=now,
            )
            count += 1
    return count


def _old(cutoff):
    return Contestant.objects.filter(data_erased_at=None, contest__judging_end_at__lt=cutoff)


CONTEST = RetentionRule(
    key="contest",
    label=gettext_lazy("Участники конкурса студентов: персональные данные, согласия родителей и файлы работ"),
    setting="RETENTION_CONTEST_YEARS",
    default_years=1,
    counted_from=gettext_lazy("после окончания работы жюри"),
    outcome=gettext_lazy(
        "Имена, адреса, даты рождения, согласия родителей и файлы работ удаляются; остаются шифры, названия "
        "работ, оценки жюри и места."
    ),
    count=lambda cutoff: _old(cutoff).count(),
    apply=lambda cutoff, now: erase_contestants(_old(cutoff), now),
    done=gettext_lazy("обезличено"),
    would=gettext_lazy("будет обезличено"),
)


def register():
    register_rule(CONTEST)
