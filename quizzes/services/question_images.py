"""Pictures in question texts: Wagtail images in the collection «Банк вопросов».

A Moodle XML file carries each picture of a text as a ``<file>`` and refers to it as ``@@PLUGINFILE@@/name``.
The import stores it as a Wagtail image (the same picture, by its SHA-1, is stored once and reused) and points
the text at its "original" rendition (``/media/images/…``), the one kind of picture address the sanitiser
lets through (:mod:`quizzes.richtext`). The export does the reverse: every such address of a text becomes
``@@PLUGINFILE@@/name`` again, with the image's original bytes embedded.

Files written during an import that is rolled back (a dry run, an error) are deleted again:
:meth:`ImageStore.discard`.
"""

import hashlib
import re
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.core.files.base import ContentFile
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Collection

from .. import richtext
from ..importing.moodle_xml import file_reference
from ..importing.parsed import map_texts

COLLECTION_NAME = "Банк вопросов"
ORIGINAL = "original"
_REFERENCE = re.compile(re.escape(richtext.PLUGINFILE) + r"""([^"'\s<>()]+)""")
_SRC = re.compile(r"""(<img\b[^>]*?\bsrc=)(["'])([^"']*)\2""", re.IGNORECASE)


def bank_collection():
    """The collection of the question bank's pictures, created under the root when missing."""
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=COLLECTION_NAME).first()
    return found or root.add_child(name=COLLECTION_NAME)


def image_url(image):
    """Where a text shows ``image``: its original-size rendition."""
    return image.get_rendition(ORIGINAL).url


class ImageStore:
    """Stores the pictures of parsed questions and rewrites their texts (one import)."""

    def __init__(self):
        self.collection = None
        self.by_hash = {}
        self.written = []  # (storage, name) of every file this import wrote
        self.renditions = []  # the renditions it made (Wagtail caches them)

    def resolve(self, parsed):
        """``parsed`` with its ``@@PLUGINFILE@@`` references turned into image addresses."""
        if not parsed.images:
            return parsed
        urls = {name: image_url(self.store(name, data)) for name, data in parsed.images.items()}

        def change(text):
            return _REFERENCE.sub(lambda match: urls.get(unquote(match[1]), match[0]), text or "")

        resolved = map_texts(parsed, change)
        resolved.images = {}
        return resolved

    def store(self, name, data):
        digest = hashlib.sha1(data).hexdigest()  # the hash Wagtail keeps (file_hash)
        if digest in self.by_hash:
            return self.by_hash[digest]
        if self.collection is None:
            self.collection = bank_collection()
        model = get_image_model()
        image = model.objects.filter(collection=self.collection, file_hash=digest).first()
        if image is None:
            file_name = PurePosixPath(name).name
            image = model(
                title=file_name[:255], collection=self.collection, file=ContentFile(data, name=file_name)
            )
            image._set_image_file_metadata()
            image.save()
            self.written.append((image.file.storage, image.file.name))
            forget_cached_rendition(image)  # one of a rolled-back image that had this id and content
        if not image.renditions.filter(filter_spec=ORIGINAL).exists():
            rendition = image.get_rendition(ORIGINAL)
            self.renditions.append(rendition)
            self.written.append((rendition.file.storage, rendition.file.name))
        self.by_hash[digest] = image
        return image

    def discard(self):
        """Forget what this import stored (its database rows were rolled back): the files it wrote and
        the renditions Wagtail cached."""
        for rendition in self.renditions:
            rendition.purge_from_cache()
        for storage, name in self.written:
            storage.delete(name)
        self.renditions = []
        self.written = []


def forget_cached_rendition(image):
    """Drop what Wagtail's cache holds as ``image``'s original rendition: the cache key is the image's id
    and hash, which a new image can share with one whose rows were rolled back."""
    rendition_model = image.get_rendition_model()
    spec = Filter(spec=ORIGINAL)
    rendition_model.cache_backend.delete(
        rendition_model.construct_cache_key(image, spec.get_cache_key(image), ORIGINAL)
    )


def embed_images(parsed, illustration=None):
    """``parsed`` (a question of the bank) with the addresses of the bank's pictures in its texts turned
    into ``@@PLUGINFILE@@/name`` references and the pictures' bytes in ``images`` (for Moodle XML).
    ``illustration``: the question's own image field, whose address is embedded the same way."""
    images = {}
    names = {}

    def picture_at(src):
        if illustration is not None and src == illustration.url:
            return ("illustration", PurePosixPath(illustration.name).name, illustration)
        image = _image_at(src)
        if image is None:
            return None
        return (image.pk, _file_name(image), image.file)

    def change(text):
        def replace(match):
            found = picture_at(match[3])
            if found is None:
                return match[0]
            key, name, file = found
            if key not in names:
                if name in images:
                    name = f"{PurePosixPath(name).stem}-{len(images)}{PurePosixPath(name).suffix}"
                file.open("rb")
                try:
                    images[name] = file.read()
                finally:
                    file.close()
                names[key] = name
            return f"{match[1]}{match[2]}{file_reference(names[key])}{match[2]}"

        return _SRC.sub(replace, text or "")

    embedded = map_texts(parsed, change)
    embedded.images = images
    return embedded


def _image_at(src):
    """The Wagtail image whose rendition (or original) is at ``src``, or None."""
    if not richtext.is_allowed_image_src(src):
        return None
    from django.conf import settings

    name = unquote(src[len(settings.MEDIA_URL) :])
    model = get_image_model()
    rendition = model.get_rendition_model().objects.filter(file=name).select_related("image").first()
    if rendition is not None:
        return rendition.image
    return model.objects.filter(file=name).first()


def _file_name(image):
    """The name a picture travels under: the file name it came with (its title), else its file's."""
    title = PurePosixPath(image.title or "").name
    if PurePosixPath(title).suffix.casefold() in (".png", ".jpg", ".jpeg", ".gif", ".webp"):
        return title
    return PurePosixPath(image.file.name).name
