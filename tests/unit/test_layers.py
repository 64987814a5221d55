"""Architecture rules, checked on the source."""

import ast
import os
import pathlib
import subprocess
import sys

NOVA = pathlib.Path(__file__).resolve().parents[2] / 'nova'
# Only the conductor and nova-manage own the database.
NO_DB_PACKAGES = ('api', 'compute', 'scheduler', 'virt', 'wsgi')


def _imports(path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for alias in node.names:
                yield '%s.%s' % (node.module, alias.name)


def _modules(*packages):
    for package in packages:
        yield from sorted((NOVA / package).rglob('*.py'))


def test_no_database_imports_outside_conductor_and_manage():
    offenders = [
        '%s imports %s' % (path.relative_to(NOVA.parent), name)
        for path in _modules(*NO_DB_PACKAGES)
        for name in _imports(path)
        if name == 'nova.db' or name.startswith('nova.db.')]
    assert offenders == []


def test_database_importers_are_only_conductor_and_manage():
    importers = {
        str(path.relative_to(NOVA.parent))
        for path in NOVA.rglob('*.py')
        if not path.is_relative_to(NOVA / 'db')
        and any(n == 'nova.db' or n.startswith('nova.db.')
                for n in _imports(path))}
    allowed = {'nova/cmd/conductor.py', 'nova/cmd/manage.py'}
    assert {i for i in importers
            if not i.startswith('nova/conductor/')} <= allowed


def test_no_eventlet_imports():
    offenders = [str(path) for path in NOVA.rglob('*.py')
                 if any(n.split('.')[0] == 'eventlet'
                        for n in _imports(path))]
    assert offenders == []


def test_services_run_without_eventlet_loaded():
    code = ('import sys; import nova.service, nova.api.deploy, '
            'nova.cmd.api, nova.cmd.conductor; '
            'assert sys.modules.get("eventlet") is None, '
            'sys.modules.get("eventlet"); '
            'from oslo_service import backend; '
            'print(backend.get_backend_type().value)')
    result = subprocess.run([sys.executable, '-c', code],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == 'threading'


def test_options_are_declared_only_in_nova_conf():
    offenders = []
    for path in NOVA.rglob('*.py'):
        if path.is_relative_to(NOVA / 'conf'):
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr.endswith('Opt')
                    and node.func.attr != 'SubCommandOpt'):
                offenders.append('%s:%d' % (path, node.lineno))
    assert offenders == []


def test_modules_stay_under_800_lines():
    big = {str(p): n for p in NOVA.rglob('*.py')
           if (n := len(p.read_text().splitlines())) > 800
           and 'migrations' not in p.parts}
    assert big == {}


def test_each_api_resource_has_its_sibling_modules():
    handlers = {p.stem for p in (NOVA / 'api' / 'handlers').glob('*.py')
                if p.stem not in ('__init__', 'versions')}
    # Actions answer with empty bodies or one field: no views of their own.
    without_views = {'server_actions', 'server_migrate_live'}
    for sibling, needed in (('policies', handlers),
                            ('views', handlers - without_views)):
        present = {p.stem for p in (NOVA / 'api' / sibling).glob('*.py')}
        assert needed <= present, (sibling, needed - present)
    assert os.path.exists(NOVA / 'api' / 'router.py')
