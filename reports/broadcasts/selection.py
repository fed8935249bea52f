"""Who receives a mass message: active people of the manager's scope, narrowed by municipality,
organization and their state in one test campaign or one course."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Enrollment, LessonProgress
from people.models import Municipality
from quizzes import analytics


class Basis:
    EVERYONE = "everyone"
    CAMPAIGN = "campaign"
    COURSE = "course"

    choices = [
        (EVERYONE, _("все слушатели")),
        (CAMPAIGN, _("по тестированию")),
        (COURSE, _("по курсу")),
    ]


class CampaignState:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    FAILED = "failed"
    PASSED = "passed"
    NOT_PASSED = "not_passed"

    choices = [
        (NOT_STARTED, _("не приступали")),
        (IN_PROGRESS, _("проходят сейчас")),
        (FAILED, _("не сдали")),
        (NOT_PASSED, _("ещё не сдали (не приступали, проходят или не сдали)")),
        (PASSED, _("сдали")),
    ]


class CourseState:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    COMPLETED = "completed"

    choices = [
        (NOT_STARTED, _("не начинали")),
        (IN_PROGRESS, _("проходят")),
        (OVERDUE, _("срок истёк, курс не завершён")),
        (COMPLETED, _("завершили")),
    ]


def _campaign_people(campaign, state, scope, municipality, organization):
    people = analytics.participants(campaign, scope, municipality=municipality, organization=organization)
    # The same precedence as the participants' page (analytics.state_of): in progress first.
    finished = Q(in_progress=False, result_percent__isnull=False)
    return people.filter(
        {
            CampaignState.NOT_STARTED: Q(attempts__isnull=True),
            CampaignState.IN_PROGRESS: Q(in_progress=True),
            CampaignState.FAILED: finished & Q(result_passed=False),
            CampaignState.NOT_PASSED: ~(finished & Q(result_passed=True)),
            CampaignState.PASSED: finished & Q(result_passed=True),
        }[state]
    )


def _course_people(course, state, people, today):
    enrollments = Enrollment.objects.active().filter(course=course)
    started = Exists(LessonProgress.objects.filter(enrollment=OuterRef("pk"), studied_at__isnull=False))
    current = enrollments.filter(completed_at__isnull=True)
    chosen = {
        CourseState.NOT_STARTED: current.exclude(started),
        CourseState.IN_PROGRESS: current.filter(started),
        CourseState.OVERDUE: current.filter(due_date__lt=today),
        CourseState.COMPLETED: enrollments.filter(completed_at__isnull=False),
    }[state]
    return people.filter(pk__in=chosen.values("user_id"))


@dataclass
class Selection:
    """A list of recipients as the manager chose it (the form's cleaned values)."""

    scope: object
    municipality: object = None
    organization: object = None
    basis: str = Basis.EVERYONE
    campaign: object = None
    campaign_state: str = ""
    course: object = None
    course_state: str = ""

    def people(self, today=None):
        """Active people in scope who match, by name."""
        today = today or timezone.localdate()
        if self.basis == Basis.CAMPAIGN:
            people = _campaign_people(
                self.campaign, self.campaign_state, self.scope, self.municipality, self.organization
            )
        else:
            people = self.scope.people()
            if self.municipality is not None:
                people = people.filter(
                    municipality__in=Municipality.objects.with_settlements_of([self.municipality.pk])
                )
            if self.organization is not None:
                people = people.filter(organization=self.organization)
            if self.basis == Basis.COURSE:
                people = _course_people(self.course, self.course_state, people, today)
        return (
            people.filter(is_active=True)
            .select_related("municipality", "organization")
            .order_by("last_name", "first_name", "patronymic", "pk")
        )

    def criteria(self):
        """The choice in words, for the record of the message: (condition, value) pairs."""
        rows = [(_("Границы доступа"), self.scope.description())]
        if self.municipality is not None:
            rows.append((_("Муниципальное образование"), str(self.municipality)))
        if self.organization is not None:
            rows.append((_("Организация"), str(self.organization)))
        if self.basis == Basis.CAMPAIGN:
            rows.append((_("Тестирование"), self.campaign.title))
            rows.append((_("Состояние"), dict(CampaignState.choices)[self.campaign_state]))
        elif self.basis == Basis.COURSE:
            rows.append((_("Курс"), self.course.title))
            rows.append((_("Состояние"), dict(CourseState.choices)[self.course_state]))
        else:
            rows.append((_("Кому"), dict(Basis.choices)[Basis.EVERYONE]))
        return [(str(label), str(value)) for label, value in rows]
