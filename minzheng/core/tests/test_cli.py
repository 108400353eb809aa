from minzheng.cli import resolve

KNOWN = {"user_create", "registry_import", "audit_verify", "demo_data", "migrate"}


def test_two_word_commands_map_to_management_commands():
    assert resolve(["user", "create", "--username", "u"], KNOWN) == ["user_create", "--username", "u"]
    assert resolve(["registry", "import", "f.csv"], KNOWN) == ["registry_import", "f.csv"]
    assert resolve(["demo-data", "--persons", "5"], KNOWN) == ["demo_data", "--persons", "5"]
    assert resolve(["migrate"], KNOWN) == ["migrate"]
    assert resolve(["unknown", "thing"], KNOWN) == ["unknown", "thing"]
