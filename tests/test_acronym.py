"""ENT004's matching: Schwartz & Hearst's definition rule and the fewest-replacement restorations."""

from __future__ import annotations

from spinlint.plugins.entity.acronym import Restoration, restorations, schwartz_hearst, short_form_letters


def test_schwartz_hearst_accepts_honest_definitions_and_rejects_spun_ones() -> None:
    assert schwartz_hearst("CRP", "raised C-reactive protein")
    assert schwartz_hearst("OECD", "the Organisation for Economic Co-operation and Development")
    assert schwartz_hearst("DNA", "of deoxyribonucleic acid")
    assert schwartz_hearst("CDC", "Centers for Disease Control and Prevention")  # the last word adds nothing
    assert not schwartz_hearst("IaaS", "framework as a help")
    assert not schwartz_hearst("DL", "advances in profound learning")
    assert not schwartz_hearst("XML", "Extensible Markup Language")  # the first letter starts no word


def test_short_form_letters_drop_hyphens_and_keep_digits() -> None:
    assert short_form_letters("SARS-CoV-2") == "sarscov2"


def _restore(phrase: str, letters: str, alts: dict[str, list[str]]) -> set[str]:
    words = phrase.split()
    closed = [w in {"a", "an", "as", "of", "the"} for w in words]
    found = restorations(words, letters, [alts.get(w, []) for w in words], closed)
    return {" ".join(r.words) for r in found}


def test_restorations_replace_as_few_words_as_spell_the_letters() -> None:
    alts = {"framework": ["infrastructure", "system"], "help": ["service", "support", "aid"]}
    got = _restore("framework as a help", "iaas", alts)
    # two replacements are needed; one more is allowed (slack), none gives other letters
    assert got == {"infrastructure as a service", "infrastructure as a support"}


def test_written_words_that_spell_the_letters_give_no_restoration() -> None:
    assert _restore("deep learning", "dl", {"deep": ["dark"], "learning": ["lore"]}) == set()


def test_no_restoration_when_no_replacement_gives_the_letters() -> None:
    assert _restore("the virus", "hiv", {"virus": ["germ", "bug"]}) == set()


def test_an_article_agrees_with_the_replaced_word_after_it() -> None:
    alts = {"stage": ["platform"], "assistance": ["service"]}
    words = ["stage", "as", "an", "assistance"]
    got = restorations(words, "paas", [alts.get(w, []) for w in words], [False, True, True, False])
    assert Restoration(("platform", "as", "a", "service"), (0, 3)) in got
