from minzheng.core.personal_data import (
    blind_index,
    blind_index_many,
    decrypt,
    encrypt,
    encrypt_many,
    mask_id_number,
    mask_name,
    mask_phone,
)


def test_encryption_round_trip_with_fresh_nonce(settings):
    # given a number, when encrypted twice, then the ciphertexts differ and both decrypt
    a, b = encrypt("310117198005170013"), encrypt("310117198005170013")
    assert a != b
    assert "310117198005170013" not in a
    assert decrypt(a) == decrypt(b) == "310117198005170013"


def test_blind_index_is_keyed_and_normalised(settings):
    first = blind_index("31011719800517001x")
    assert first == blind_index(" 31011719800517001X ")
    settings.MINZHENG_INDEX_KEY = "another-key"
    assert blind_index("31011719800517001X") != first


def test_masks():
    assert mask_id_number("310117198005171234") == "310117***********4"
    assert mask_id_number("31011719800517123X") == "310117***********X"
    assert mask_id_number("310117800517123") == "310117********3"  # 15-character (old) numbers
    assert mask_id_number("3101171980") == "310117***0"
    assert mask_id_number("310117198") == "*********"
    assert mask_name("张小明") == "张*明"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_phone("13812345678") == "138****5678"


def test_batch_encryption_and_blind_index_match_the_one_value_forms():
    values = ["310117199001011234", " 31011719900101123x ", "13812345678", ""]
    sealed = encrypt_many(values)
    assert [decrypt(token) for token in sealed] == values
    assert sealed[-1] == "" and len(set(sealed[:-1])) == 3  # a fresh nonce per value
    assert blind_index_many(values) == [blind_index(v) for v in values]
