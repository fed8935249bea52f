"""Reading ``imsmanifest.xml``: the SCORM version and the launch file of the package.

Parsed with defusedxml (no entities, no external references). The launch file is the resource of the
default organization's first item that has one (a package with several SCOs opens its first one).
"""

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

from .errors import PackageError

ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSCP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
VERSION_12, VERSION_2004 = "1.2", "2004"


@dataclass(frozen=True)
class Manifest:
    version: str
    title: str
    launch: str  # relative URL of the launch page inside the package, with its query if any
    launch_path: str  # the file that must exist in the package


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag):
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(element, name):
    return [child for child in element if local(child.tag) == name]


def first(element, name):
    found = children(element, name)
    return found[0] if found else None


def text_of(element):
    return (element.text or "").strip() if element is not None else ""


def attribute(element, name):
    """An attribute by its local name, whatever its namespace (adlcp:scormtype, adlcp:scormType)."""
    for key, value in element.attrib.items():
        if local(key).lower() == name.lower():
            return value
    return None


def detect_version(root):
    """1.2 or 2004, from <metadata><schemaversion> and, without one, from the namespaces used."""
    metadata = first(root, "metadata")
    schema_version = text_of(first(metadata, "schemaversion")) if metadata is not None else ""
    if schema_version:
        if schema_version.startswith("1.2"):
            return VERSION_12
        if "2004" in schema_version or schema_version.startswith("CAM 1.3") or schema_version == "1.3":
            return VERSION_2004
    namespaces = {namespace(element.tag) for element in root.iter()}
    for element in root.iter():
        namespaces.update(namespace(key) for key in element.attrib)
    if ADLCP_2004 in namespaces:
        return VERSION_2004
    if ADLCP_12 in namespaces or IMSCP_12 in namespaces:
        return VERSION_12
    raise PackageError(
        _(
            "Не удалось определить версию SCORM по манифесту (нет schemaversion 1.2 или 2004). "
            "Экспортируйте курс заново как SCORM 1.2 или SCORM 2004."
        )
    )


def launch_item(organization):
    """The first item (depth first) that refers to a resource."""
    for item in organization.iter():
        if local(item.tag) == "item" and item.get("identifierref"):
            return item
    return None


def joined_base(*elements):
    base = ""
    for element in elements:
        value = element.get(XML_BASE) if element is not None else None
        if value:
            base = posixpath.join(base, value)
    return base


def split_launch(href, base="", parameters=""):
    """``(launch URL, file path)`` for an href of the manifest, checked to stay inside the package."""
    url = posixpath.join(base, href.strip()) if base else href.strip()
    if parameters:
        parameters = parameters.strip()
        if parameters.startswith(("?", "#")):
            url += parameters if "?" not in url or parameters.startswith("#") else "&" + parameters[1:]
        else:
            url += ("&" if "?" in url else "?") + parameters
    file_part = re.split(r"[?#]", url, maxsplit=1)[0]
    path = unquote(file_part)
    if (
        not path
        or re.match(r"^[a-z][a-z0-9+.-]*:", path, re.IGNORECASE)
        or path.startswith(("/", "\\"))
        or "\\" in path
        or any(part == ".." for part in path.split("/"))
    ):
        raise PackageError(_("Файл запуска в манифесте указан вне пакета: %(href)s") % {"href": href[:200]})
    return url.removeprefix("./"), posixpath.normpath(path)


def parse_manifest(data):
    """The :class:`Manifest` of ``imsmanifest.xml`` given as bytes; :class:`PackageError` if unusable."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise PackageError(
            _("Файл imsmanifest.xml повреждён или не является XML: %(error)s") % {"error": str(error)[:200]}
        ) from None
    if local(root.tag) != "manifest":
        raise PackageError(_("В imsmanifest.xml нет элемента manifest: это не манифест SCORM."))
    version = detect_version(root)
    organizations = first(root, "organizations")
    resources = first(root, "resources")
    if resources is None:
        raise PackageError(_("В манифесте нет раздела resources: неизвестно, что запускать."))
    resource_by_id = {element.get("identifier"): element for element in children(resources, "resource")}
    organization = None
    if organizations is not None:
        default = organizations.get("default")
        all_organizations = children(organizations, "organization")
        organization = next(
            (element for element in all_organizations if element.get("identifier") == default),
            all_organizations[0] if all_organizations else None,
        )
    title, resource, parameters = "", None, ""
    if organization is not None:
        title = text_of(first(organization, "title"))
        item = launch_item(organization)
        if item is not None:
            resource = resource_by_id.get(item.get("identifierref"))
            parameters = item.get("parameters") or ""
            title = title or text_of(first(item, "title"))
    if resource is None:  # no organization: the first SCO among the resources
        resource = next(
            (
                element
                for element in resource_by_id.values()
                if (attribute(element, "scormtype") or "").lower() == "sco" and element.get("href")
            ),
            None,
        )
    if resource is None or not resource.get("href"):
        raise PackageError(
            _("В манифесте не найден запускаемый учебный объект (SCO): у первого пункта нет файла запуска.")
        )
    launch, launch_path = split_launch(
        resource.get("href"), joined_base(root, resources, resource), parameters
    )
    return Manifest(version=version, title=title[:255], launch=launch, launch_path=launch_path)
