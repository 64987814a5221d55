"""nova's installed metadata carries requirements.txt: `pip install -e .`
(what devstack/stack.sh does in a new virtualenv) brings the libraries."""

from importlib import metadata
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _names(lines):
    names = set()
    for line in lines:
        line = line.split('#', 1)[0].strip()
        if line:
            name = re.split(r'[\[<>=!~; ]', line, maxsplit=1)[0]
            names.add(re.sub(r'[-_.]+', '-', name).lower())
    return names


def test_install_requires_is_requirements_txt():
    wanted = _names((ROOT / 'requirements.txt').read_text().splitlines())
    declared = _names(metadata.requires('nova') or [])
    assert wanted and wanted <= declared, wanted - declared
