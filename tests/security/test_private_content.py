"""Private pages and documents: guessing the URL gives nothing to someone the restriction leaves out."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms.models import HomePage, StandardPage
from people.factories import make_person

pytestmark = pytest.mark.django_db

SECRET_PAGE = "Секретный план проверок на 2025 год"
SECRET_DOC = "Служебная записка: список проверяемых".encode()


@pytest.fixture
def commission():
    return Group.objects.create(name="Комиссия по соблюдению требований к служебному поведению")


@pytest.fixture
def member(commission):
    person = make_person()
    person.groups.add(commission)
    return person


@pytest.fixture
def outsider():
    return make_person()


def restricted_page(slug, restriction_type, groups=()):
    home = HomePage.objects.get()
    page = home.add_child(instance=StandardPage(title=SECRET_PAGE, slug=slug, intro=SECRET_PAGE))
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=restriction_type)
    restriction.groups.set(groups)
    child = page.add_child(
        instance=StandardPage(title="Подстраница", slug=f"{slug}-child", intro=SECRET_PAGE)
    )
    return page, child


def private_document(media, restriction_type, groups=()):
    root = Collection.get_first_root_node()
    collection = root.add_child(name=f"Закрытые документы {restriction_type}")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=restriction_type
    )
    restriction.groups.set(groups)
    return get_document_model().objects.create(
        title="Записка", file=ContentFile(SECRET_DOC, name="zapiska.txt"), collection=collection
    )


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def refused(response):
    return (
        response.status_code in (302, 403, 404)
        and SECRET_DOC not in body(response)
        and (SECRET_PAGE.encode() not in body(response))
    )


def test_page_for_logged_in_users_only(client, outsider):
    page, child = restricted_page("plan", PageViewRestriction.LOGIN)
    for target in (page, child):
        response = client.get(target.url)
        assert refused(response)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(outsider)
    assert SECRET_PAGE in client.get(page.url).content.decode()


def test_page_for_a_group_only(client, commission, member, outsider):
    page, child = restricted_page("commission", PageViewRestriction.GROUPS, [commission])
    for target in (page, child):
        assert refused(client.get(target.url))
    client.force_login(outsider)
    for target in (page, child):
        assert refused(client.get(target.url))
    client.force_login(member)
    for target in (page, child):
        response = client.get(target.url)
        assert response.status_code == 200
        assert SECRET_PAGE in response.content.decode()


def test_restricted_pages_are_not_listed_in_search_or_menus(client, commission, outsider):
    restricted_page("commission", PageViewRestriction.GROUPS, [commission])
    client.force_login(outsider)
    home = client.get("/")
    assert SECRET_PAGE not in home.content.decode()


def test_document_in_a_login_collection(client, media, outsider):
    document = private_document(media, CollectionViewRestriction.LOGIN)
    response = client.get(document.url)
    assert refused(response)
    client.force_login(outsider)
    assert body(client.get(document.url)) == SECRET_DOC


def test_document_in_a_group_collection(client, media, commission, member, outsider):
    document = private_document(media, CollectionViewRestriction.GROUPS, [commission])
    guessed = [document.url, f"/documents/{document.pk}/other-name.txt", f"/documents/{document.pk}/"]
    for url in guessed:
        assert refused(client.get(url)), url
    client.force_login(outsider)
    for url in guessed:
        assert refused(client.get(url)), url
    client.force_login(member)
    assert body(client.get(document.url)) == SECRET_DOC


def test_documents_are_not_under_a_url_nginx_would_serve(media, commission):
    document = private_document(media, CollectionViewRestriction.GROUPS, [commission])
    # The file lives under MEDIA_ROOT/documents/; docs/deploy.md keeps nginx from serving that folder.
    assert document.file.name.startswith("documents/")
    assert document.url.startswith("/documents/")
