"""The question bank: category tree, tags, legal-norm search, image rules, readiness checks."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from quizzes.factories import (
    make_category,
    make_matching,
    make_multiple_choice,
    make_short_text,
    make_single_choice,
    make_true_false,
)
from quizzes.models import Category, Question
from quizzes.validators import QUESTION_IMAGE_MAX_BYTES, validate_question_image

pytestmark = pytest.mark.django_db


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


class TestCategories:
    def test_full_name_walks_from_the_root(self):
        topic = make_category("Конфликт интересов")
        sub = make_category("Уведомление", parent=topic)
        assert sub.full_name == "Конфликт интересов / Уведомление"
        assert [c.pk for c in sub.path] == [topic.pk, sub.pk]
        assert str(sub) == sub.full_name

    def test_descendants_cover_every_level(self):
        topic = make_category()
        sub = make_category(parent=topic)
        subsub = make_category(parent=sub)
        make_category()  # unrelated
        assert sorted(topic.descendant_ids()) == sorted([sub.pk, subsub.pk])
        assert sub.descendant_ids() == [subsub.pk]

    def test_a_category_cannot_be_placed_inside_its_own_subtree(self):
        topic = make_category()
        sub = make_category(parent=topic)
        topic.parent = sub
        with pytest.raises(ValidationError):
            topic.full_clean()

    def test_root_names_are_unique(self):
        make_category("Подарки")
        with pytest.raises(ValidationError):
            Category(name="Подарки").full_clean()

    def test_roots(self):
        topic = make_category()
        make_category(parent=topic)
        assert list(Category.objects.roots()) == [topic]


class TestQuestions:
    def test_tags_work_across_subtypes(self):
        single, tf = make_single_choice(), make_true_false()
        single.tags.add("закупки")
        tf.tags.add("закупки", "подарки")
        tagged = Question.objects.filter(tags__name="закупки").order_by("pk")
        assert list(tagged) == [single, tf]
        assert type(tagged[1]) is type(tf)

    def test_search_by_legal_norm_and_active(self):
        cited = make_single_choice(legal_norm="273-ФЗ, ст. 12.1")
        make_single_choice(legal_norm="25-ФЗ, ст. 14.1")
        retired = make_single_choice(legal_norm="273-ФЗ, ст. 13.3", is_retired=True)
        assert set(Question.objects.citing("273-ФЗ")) == {cited, retired}
        assert list(Question.objects.active().citing("273-ФЗ")) == [cited]

    def test_in_category_with_and_without_subcategories(self):
        topic = make_category()
        sub = make_category(parent=topic)
        top_q, sub_q = make_true_false(topic), make_true_false(sub)
        assert set(Question.objects.in_category(topic)) == {top_q, sub_q}
        assert list(Question.objects.in_category(topic, include_subcategories=False)) == [top_q]

    def test_problems_name_what_is_missing(self):
        assert make_single_choice().problems() == []
        assert make_single_choice(wrong=()).problems()  # one option only
        two_correct = make_multiple_choice()
        assert two_correct.problems() == []
        assert make_multiple_choice(correct=()).problems()
        assert make_short_text(accepted=()).problems()
        assert make_matching(pairs=[("а", "б")]).problems()
        assert make_matching().problems() == []


class TestImages:
    def test_a_small_picture_is_accepted(self):
        validate_question_image(SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))

    def test_not_a_picture_is_refused(self):
        fake = SimpleUploadedFile("a.png", b"not an image at all", content_type="image/png")
        with pytest.raises(ValidationError):
            validate_question_image(fake)

    def test_too_large_a_file_is_refused(self):
        data = png_bytes() + b"\0" * QUESTION_IMAGE_MAX_BYTES
        with pytest.raises(ValidationError, match="больше"):
            validate_question_image(SimpleUploadedFile("a.png", data, content_type="image/png"))

    def test_model_validation_runs_the_check(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        question = make_true_false()
        question.image = SimpleUploadedFile("a.png", b"GIF89a broken", content_type="image/png")
        with pytest.raises(ValidationError) as error:
            question.full_clean()
        assert "image" in error.value.message_dict
        question.image = SimpleUploadedFile("b.png", png_bytes(), content_type="image/png")
        question.full_clean()
        question.save()
        assert question.snapshot()["image"].endswith(".png")
