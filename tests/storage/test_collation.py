"""Czech sort order: the key SQLite sorts names, streets and cities by (PostgreSQL's "cs-x-icu" rules)."""

from storage.collation import compare_czech, czech_sort_key


def czech_sorted(words: list[str]) -> list[str]:
    return sorted(words, key=czech_sort_key)


def test_the_issues_example():
    assert czech_sorted(["Cibulka", "Čapek", "Dvořák", "Chalupa", "Hrubý"]) == [
        "Cibulka",
        "Čapek",
        "Dvořák",
        "Hrubý",
        "Chalupa",
    ]


def test_ch_is_one_letter_between_h_and_i():
    assert czech_sorted(["Ivančice", "Chrudim", "Cihelna", "Hustopeče", "Cheb"]) == [
        "Cihelna",
        "Hustopeče",
        "Cheb",
        "Chrudim",
        "Ivančice",
    ]


def test_c_r_s_z_with_caron_are_letters_of_their_own():
    assert czech_sorted(["Žák", "Šimek", "Řehoř", "Zeman", "Sýkora", "Rybář", "Čech", "Cyril"]) == [
        "Cyril",
        "Čech",
        "Rybář",
        "Řehoř",
        "Sýkora",
        "Šimek",
        "Zeman",
        "Žák",
    ]
    # ř follows every r: Dvorský (r, then s) comes before Dvořák (ř).
    assert czech_sorted(["Dvořák", "Dvorský", "Dvorak"]) == ["Dvorak", "Dvorský", "Dvořák"]


def test_other_accents_only_order_otherwise_equal_words():
    assert czech_sorted(["Kralovec", "Králová", "Kral", "Král"]) == ["Kral", "Král", "Králová", "Kralovec"]
    # ď ť ň are no letters of their own: Ďábel (d, a, b, e) before Dabing (d, a, b, i).
    assert czech_sorted(["Dabing", "Ďábel", "Tuhý", "Ťapka", "Nyklová", "Ňadro"]) == [
        "Ďábel",
        "Dabing",
        "Ňadro",
        "Nyklová",
        "Ťapka",
        "Tuhý",
    ]


def test_case_weighs_after_letters_and_accents():
    assert czech_sorted(["NOVÁKOVÁ", "Novák", "NOVAK", "novák"]) == ["NOVAK", "novák", "Novák", "NOVÁKOVÁ"]


def test_digits_come_before_letters():
    assert czech_sorted(["Alšova", "Žitná", "28. října", "1. máje"]) == ["1. máje", "28. října", "Alšova", "Žitná"]


def test_different_texts_never_compare_equal():
    """ICU counts a decomposed "é" equal to the composed one; the index still needs one order for them."""
    composed, decomposed = "Dvořák Lé", "Dvořák Le\u0301"
    assert compare_czech(decomposed, composed) < 0 < compare_czech(composed, decomposed)
    assert compare_czech(composed, composed) == 0
