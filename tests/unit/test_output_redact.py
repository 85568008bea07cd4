from triage import output


def test_a_real_token_is_hidden_even_inside_other_text() -> None:
    output.set_secrets("glpat-abcdefghijklmnopqrst")
    assert output.redact("url?private_token=glpat-abcdefghijklmnopqrst&x") == (
        "url?private_token=[REDACTED]&x"
    )


def test_a_short_token_is_hidden_where_it_stands_alone_and_words_survive() -> None:
    output.set_secrets("x")
    assert output.redact("YAML syntax error: expected x, token x") == (
        "YAML syntax error: expected [REDACTED], token [REDACTED]"
    )
    output.set_secrets()
