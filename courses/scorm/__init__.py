"""SCORM packages as lessons: the upload check and unpacking (``packages``, ``manifest``), serving the
unpacked files (``files``), who may open a package (``access``), the run-time state of a person
(``runtime``), the lesson editor's upload field (``forms``) and a tiny generated package for the demo
and the tests (``sample``). The views are in ``views``; docs/scorm.md explains it for trainers."""
