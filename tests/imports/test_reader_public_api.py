"""The reader leans on no openpyxl internals (issue 15 §5): an openpyxl upgrade cannot break the import silently."""
import ast
import inspect

from apps.imports import reader


def _tree():
    return ast.parse(inspect.getsource(reader))


def test_the_reader_imports_nothing_from_a_private_openpyxl_module():
    tree = _tree()
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    openpyxl = {module for module in modules if module.split(".")[0] == "openpyxl"}
    assert openpyxl, "the reader is expected to use openpyxl's public helpers"
    assert not [module for module in openpyxl if any(part.startswith("_") for part in module.split("."))]
    imported_names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                      and node.module in openpyxl for alias in node.names}
    assert not [name for name in imported_names if name.startswith("_")]


def test_the_reader_touches_no_private_attribute_and_subclasses_no_openpyxl_class():
    private = {
        node.attr for node in ast.walk(_tree())
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    }
    assert private == set()
    own = [cls for cls in vars(reader).values() if isinstance(cls, type) and cls.__module__ == reader.__name__]
    assert own
    assert not [cls for cls in own if any(base.__module__.startswith("openpyxl") for base in cls.__mro__)]
