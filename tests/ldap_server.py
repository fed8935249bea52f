"""A real OpenLDAP server for tests: Debian's slapd on a free port of 127.0.0.1, with a test tree.

Use in a test module::

    from tests.ldap_server import directory_fixture, ldap_server_fixture  # noqa: F401

``ldap_server`` (one per module) is slapd, started as the current user from a cn=config written into a
temporary folder (``slapadd -n0``, then ``slapd -F <dir> -h ldap://127.0.0.1:<port>/``) and stopped
after the module. ``directory`` (per test) loads the test tree afresh (:data:`TREE`, a Kaluga-like
directory: people under the OUs of their municipality and body, groups of the learning platform, a
service account for searches, and Active-Directory-like entries through a small schema of AD's own
attributes) and turns directory sign-in on in the settings (:func:`directory_settings`), the way
OpenLDAP is configured in docs/deploy.md.

slapd comes from ``SLAPD_PATH`` or ``slapd`` on the PATH (``/usr/sbin/slapd``); Debian's packages are
``slapd`` and ``ldap-utils``. Without it the tests are skipped, unless ``REQUIRE_LDAP=1`` (CI), when
they fail.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.smtp import free_port

BASE = "dc=kaluga,dc=test"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "admin-секрет"
SERVICE_DN = f"cn=antikor-learn,{BASE}"
SERVICE_PASSWORD = "service-секрет"
PEOPLE = f"ou=people,{BASE}"
GROUPS = f"ou=groups,{BASE}"
PASSWORD = "Доменный-пароль-1"  # every person's directory password

BABYNINO = f"ou=Администрация Бабынинского района,ou=Бабынинский район,{PEOPLE}"
MINFIN = f"ou=Министерство финансов,{PEOPLE}"
OBNINSK = f"ou=Обнинск,{PEOPLE}"
UNKNOWN_UNIT = f"ou=Управление без названия в справочнике,{PEOPLE}"


def person_dn(login):
    return {
        "ivanova": f"uid=ivanova,{BABYNINO}",
        "petrov": f"uid=petrov,{MINFIN}",
        "orlova": f"uid=orlova,{MINFIN}",
        "smirnova": f"uid=smirnova,{OBNINSK}",
        "kuznetsov": f"uid=kuznetsov,{UNKNOWN_UNIT}",
        "outsider": f"uid=outsider,{PEOPLE}",
        "volkova": f"cn=Волкова Ольга Игоревна,{MINFIN}",
        "zaitsev": f"cn=Зайцев Дмитрий Олегович,{MINFIN}",
    }[login]


def group_dn(name):
    return f"cn={name},{GROUPS}"


def _person(login, last, given, *, mail, title, number, kind, extra=None):
    attrs = {
        "objectClass": ["inetOrgPerson"],
        "uid": [login],
        "cn": [f"{last} {given}"],
        "sn": [last],
        "givenName": [given],
        "mail": [mail],
        "title": [title],
        "employeeNumber": [number],
        "employeeType": [kind],
        "userPassword": [PASSWORD],
    }
    attrs.update(extra or {})
    return person_dn(login), attrs


def _ad_person(login, last, first, middle, *, department, control, number):
    """An entry as Active Directory has it: sAMAccountName, middleName, department, userAccountControl
    (512 a normal account, 514 the same disabled)."""
    return person_dn(login), {
        "objectClass": ["inetOrgPerson", "antikorTestADUser"],
        "cn": [f"{last} {first} {middle}"],
        "sn": [last],
        "givenName": [first],
        "middleName": [middle],
        "sAMAccountName": [login],
        "mail": [f"{login}@minfin.kaluga.test"],
        "title": ["Главный специалист-эксперт"],
        "department": [department],
        "employeeID": [number],
        "userAccountControl": [str(control)],
        "userPassword": [PASSWORD],
    }


def _unit(dn):
    return dn, {"objectClass": ["organizationalUnit"], "ou": [dn.split(",", 1)[0].split("=", 1)[1]]}


def _group(name, *logins):
    return group_dn(name), {
        "objectClass": ["groupOfNames"],
        "cn": [name],
        "member": [person_dn(login) for login in logins],
    }


ALL_STAFF = ["ivanova", "petrov", "orlova", "smirnova", "kuznetsov", "volkova", "zaitsev"]

TREE = [
    (BASE, {"objectClass": ["dcObject", "organization"], "dc": ["kaluga"], "o": ["Правительство области"]}),
    (
        SERVICE_DN,
        {
            "objectClass": ["organizationalRole", "simpleSecurityObject"],
            "cn": ["antikor-learn"],
            "userPassword": [SERVICE_PASSWORD],
        },
    ),
    _unit(PEOPLE),
    _unit(GROUPS),
    _unit(f"ou=Бабынинский район,{PEOPLE}"),
    _unit(BABYNINO),
    _unit(MINFIN),
    _unit(OBNINSK),
    _unit(UNKNOWN_UNIT),
    # givenName holds name and patronymic, as in many Russian directories
    _person(
        "ivanova",
        "Иванова",
        "Анна Петровна",
        mail="Ivanova@Babynino.Kaluga.test",
        title="Главный специалист отдела кадров",
        number="1001",
        kind="Муниципальная служба",
    ),
    _person(
        "petrov",
        "Петров",
        "Пётр",
        mail="petrov@minfin.kaluga.test",
        title="Консультант",
        number="2002",
        kind="Государственная гражданская служба",
    ),
    _person(
        "orlova",
        "Орлова",
        "Ольга",
        mail="orlova@minfin.kaluga.test",
        title="Начальник управления",
        number="2003",
        kind="Государственная гражданская служба",
    ),
    _person(
        "smirnova",
        "Смирнова",
        "Светлана",
        mail="smirnova@obninsk.kaluga.test",
        title="Заместитель главы администрации",
        number="3001",
        kind="Муниципальная служба",
    ),
    _person(
        "kuznetsov",
        "Кузнецов",
        "Кирилл",
        mail="kuznetsov@kaluga.test",
        title="Стажёр",
        number="4001",
        kind="Стажёр",
    ),
    _person(
        "outsider",
        "Сторонний",
        "Семён",
        mail="outsider@kaluga.test",
        title="Водитель",
        number="9001",
        kind="Иное",
    ),
    _ad_person(
        "volkova",
        "Волкова",
        "Ольга",
        "Игоревна",
        department="Министерство финансов Калужской области",
        control=512,
        number="5001",
    ),
    _ad_person(
        "zaitsev",
        "Зайцев",
        "Дмитрий",
        "Олегович",
        department="Министерство финансов Калужской области",
        control=514,
        number="5002",
    ),
    _group("lms-users", *ALL_STAFF),
    _group("lms-trainers", "petrov"),
    _group("lms-organizers", "petrov"),
    _group("lms-municipal-managers", "smirnova"),
    _group("lms-regional-managers", "orlova"),
]

# Attributes of Active Directory (their Microsoft OIDs) for AD-like test entries; OpenLDAP's own
# inetOrgPerson has none of them. AD's OID of middleName is OpenLDAP's 'ref', so middleName and the
# object class are under OpenLDAP's experimental arc.
AD_SCHEMA = """\
dn: cn=antikor-test-ad,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: antikor-test-ad
olcAttributeTypes: ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch
  SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
olcAttributeTypes: ( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
olcAttributeTypes: ( 1.3.6.1.4.1.4203.666.11.9.2.1 NAME 'middleName' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
olcAttributeTypes: ( 1.2.840.113556.1.2.141 NAME 'department' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
olcAttributeTypes: ( 1.2.840.113556.1.4.35 NAME 'employeeID' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
olcObjectClasses: ( 1.3.6.1.4.1.4203.666.11.9.1 NAME 'antikorTestADUser' SUP top AUXILIARY
  MAY ( sAMAccountName $ userAccountControl $ middleName $ department $ employeeID ) )
"""

CONFIG = """\
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: {root}/slapd.pid

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: {module_path}
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://{schema}/core.ldif
include: file://{schema}/cosine.ldif
include: file://{schema}/inetorgperson.ldif
include: file://{root}/ad.ldif

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcDbDirectory: {root}/data
olcDbMaxSize: 67108864
olcSuffix: {base}
olcRootDN: {admin}
olcRootPW: {admin_password}
olcAccess: {{0}}to attrs=userPassword by anonymous auth by * none
olcAccess: {{1}}to * by dn.exact="{service}" read by self read by * none
"""

SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")


def slapd_executable():
    found = os.environ.get("SLAPD_PATH") or shutil.which("slapd")
    if not found and Path("/usr/sbin/slapd").is_file():
        found = "/usr/sbin/slapd"
    return found


def slapadd_executable(slapd):
    return shutil.which("slapadd") or str(Path(slapd).with_name("slapadd"))


class LdapServer:
    """A running slapd and the root connection to change its tree."""

    def __init__(self, root, slapd):
        self.root = Path(root)
        self.slapd = slapd
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}/"
        self.process = None
        self.log = self.root / "slapd.log"

    # --- life cycle --------------------------------------------------------------------------------

    def start(self):
        config_dir = self.root / "slapd.d"
        config_dir.mkdir()
        (self.root / "data").mkdir()
        (self.root / "ad.ldif").write_text(AD_SCHEMA, encoding="utf-8")
        (self.root / "config.ldif").write_text(
            CONFIG.format(
                root=self.root,
                module_path=MODULE_DIR,
                schema=SCHEMA_DIR,
                base=BASE,
                admin=ADMIN_DN,
                admin_password=ADMIN_PASSWORD,
                service=SERVICE_DN,
            ),
            encoding="utf-8",
        )
        config = self.root / "config.ldif"
        made = subprocess.run(
            [slapadd_executable(self.slapd), "-n0", "-F", str(config_dir), "-l", str(config)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if made.returncode != 0:
            raise RuntimeError(f"slapadd could not write the configuration:\n{made.stdout}{made.stderr}")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [self.slapd, "-d", "0", "-F", str(config_dir), "-h", self.uri],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while True:
            try:
                self.connect().unbind_s()
                return self
            except Exception as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    output = self.log.read_text(errors="replace")
                    raise RuntimeError(f"slapd did not start ({exc!r}):\n{output}") from exc
                time.sleep(0.05)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def pause(self):
        """Freeze slapd (SIGSTOP): connections are accepted by the kernel but never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)

    # --- the tree ----------------------------------------------------------------------------------

    def connect(self):
        import ldap

        connection = ldap.initialize(self.uri, bytes_mode=False)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        connection.set_option(ldap.OPT_TIMEOUT, 5)
        connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        return connection

    def load(self, tree=TREE):
        """Empty the database and add ``tree`` (a list of ``(dn, attributes)``), parents first."""
        import ldap

        connection = self.connect()
        try:
            try:
                found = connection.search_s(BASE, ldap.SCOPE_SUBTREE, "(objectClass=*)", ["1.1"])
            except ldap.NO_SUCH_OBJECT:
                found = []
            for dn, _attrs in sorted(found, key=lambda item: -len(ldap.dn.str2dn(item[0]))):
                connection.delete_s(dn)
            for dn, attrs in tree:
                connection.add_s(dn, _modlist(attrs))
        finally:
            connection.unbind_s()

    def add(self, dn, attrs):
        connection = self.connect()
        try:
            connection.add_s(dn, _modlist(attrs))
        finally:
            connection.unbind_s()

    def delete(self, dn):
        connection = self.connect()
        try:
            connection.delete_s(dn)
        finally:
            connection.unbind_s()

    def replace(self, dn, attribute, values):
        """Set an attribute of an entry (no values: remove it)."""
        import ldap

        connection = self.connect()
        try:
            connection.modify_s(
                dn, [(ldap.MOD_REPLACE, attribute, [str(v).encode() for v in values] or None)]
            )
        finally:
            connection.unbind_s()


def _modlist(attrs):
    return [(name, [str(value).encode("utf-8") for value in values]) for name, values in attrs.items()]


def directory_settings(uri):
    """Directory sign-in against the test tree, configured as docs/deploy.md configures OpenLDAP."""
    return {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": SERVICE_DN,
        "AUTH_LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "AUTH_LDAP_START_TLS": False,
        "DIRECTORY_CA_CERT_FILE": "",
        "DIRECTORY_TIMEOUT": 2,
        "DIRECTORY_USER_SEARCH_BASE": PEOPLE,
        "DIRECTORY_USER_FILTER": "(&(objectClass=inetOrgPerson)(uid=%(user)s))",
        "DIRECTORY_REQUIRE_GROUP": "",
        "DIRECTORY_GROUP_SEARCH_BASE": GROUPS,
        "DIRECTORY_GROUP_FILTER": "(objectClass=groupOfNames)",
        "DIRECTORY_GROUP_TYPE": "groupOfNames",
        "DIRECTORY_ATTRIBUTES": {
            "last_name": "sn",
            "first_name": "givenName",
            "patronymic": "middleName",
            "email": "mail",
            "position": "title",
            "personnel_number": "employeeNumber",
        },
        "DIRECTORY_MATCH_BY": [],
        "DIRECTORY_PLACE_ATTRIBUTE": "dn",
        "DIRECTORY_ORGANIZATIONS": [
            ("Администрация Бабынинского района", "Администрация муниципального района «Бабынинский район»"),
            ("Министерство финансов", "Министерство финансов Калужской области"),
        ],
        "DIRECTORY_MUNICIPALITIES": [],
        "DIRECTORY_CATEGORY_ATTRIBUTE": "employeeType",
        "DIRECTORY_CATEGORIES": [
            ("Муниципальная служба", "municipal"),
            ("Государственная гражданская служба", "state_civil"),
        ],
        "DIRECTORY_ROLE_GROUPS": [
            # spelt as an admin would copy it from AD: case and spaces differ from the tree's
            ("CN=LMS-Trainers, OU=Groups, DC=Kaluga, DC=Test", "trainer"),
            (group_dn("lms-organizers"), "organizer"),
            (group_dn("lms-municipal-managers"), "municipal_manager"),
            (group_dn("lms-regional-managers"), "regional_manager"),
        ],
    }


DIRECTORY_BACKEND = "people.backends.DirectoryBackend"


@pytest.fixture(scope="module", name="ldap_server")
def ldap_server_fixture(tmp_path_factory):
    slapd = slapd_executable()
    if not slapd or not Path(slapd).is_file():
        reason = "slapd not found (set SLAPD_PATH or install Debian's slapd and ldap-utils)"
        if os.environ.get("REQUIRE_LDAP") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    server = LdapServer(tmp_path_factory.mktemp("slapd"), slapd)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="directory")
def directory_fixture(ldap_server, settings):
    """The test tree loaded afresh, and directory sign-in on against it."""
    ldap_server.load()
    for name, value in directory_settings(ldap_server.uri).items():
        setattr(settings, name, value)
    if DIRECTORY_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, DIRECTORY_BACKEND]
    try:
        yield ldap_server
    finally:
        ldap_server.resume()
