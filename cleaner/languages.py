"""Language codes the ``languages`` option accepts: ISO 639-1, with English names.

Data, not logic: the names only serve the "did you mean" hint for a name given where a
code belongs (``languages = ["english"]``). The list is ISO 639-1 as CLDR names it.
"""

from __future__ import annotations

import difflib

__all__ = ["LANGUAGE_NAMES", "language_hint"]

_TABLE = """
    aa Afar; ab Abkhazian; ae Avestan; af Afrikaans; ak Akan; am Amharic; an Aragonese; ar Arabic;
    as Assamese; av Avaric; ay Aymara; az Azerbaijani; ba Bashkir; be Belarusian; bg Bulgarian; bi Bislama;
    bm Bambara; bn Bangla; bo Tibetan; br Breton; bs Bosnian; ca Catalan; ce Chechen; ch Chamorro;
    co Corsican; cr Cree; cs Czech; cu Church Slavic; cv Chuvash; cy Welsh; da Danish; de German;
    dv Divehi; dz Dzongkha; ee Ewe; el Greek; en English; eo Esperanto; es Spanish; et Estonian; eu Basque;
    fa Persian; ff Fula; fi Finnish; fj Fijian; fo Faroese; fr French; fy Western Frisian; ga Irish;
    gd Scottish Gaelic; gl Galician; gn Guarani; gu Gujarati; gv Manx; ha Hausa; he Hebrew; hi Hindi;
    ho Hiri Motu; hr Croatian; ht Haitian Creole; hu Hungarian; hy Armenian; hz Herero; ia Interlingua;
    id Indonesian; ie Interlingue; ig Igbo; ii Sichuan Yi; ik Inupiaq; io Ido; is Icelandic; it Italian;
    iu Inuktitut; ja Japanese; jv Javanese; ka Georgian; kg Kongo; ki Kikuyu; kj Kuanyama; kk Kazakh;
    kl Kalaallisut; km Khmer; kn Kannada; ko Korean; kr Kanuri; ks Kashmiri; ku Kurdish; kv Komi;
    kw Cornish; ky Kyrgyz; la Latin; lb Luxembourgish; lg Ganda; li Limburgish; ln Lingala; lo Lao;
    lt Lithuanian; lu Luba-Katanga; lv Latvian; mg Malagasy; mh Marshallese; mi Māori; mk Macedonian;
    ml Malayalam; mn Mongolian; mr Marathi; ms Malay; mt Maltese; my Burmese; na Nauru;
    nb Norwegian Bokmål; nd North Ndebele; ne Nepali; ng Ndonga; nl Dutch; nn Norwegian Nynorsk;
    no Norwegian; nr South Ndebele; nv Navajo; ny Nyanja; oc Occitan; oj Ojibwa; om Oromo; or Odia;
    os Ossetic; pa Punjabi; pi Pali; pl Polish; ps Pashto; pt Portuguese; qu Quechua; rm Romansh; rn Rundi;
    ro Romanian; ru Russian; rw Kinyarwanda; sa Sanskrit; sc Sardinian; sd Sindhi; se Northern Sami;
    sg Sango; sh Serbo-Croatian; si Sinhala; sk Slovak; sl Slovenian; sm Samoan; sn Shona; so Somali;
    sq Albanian; sr Serbian; ss Swati; st Southern Sotho; su Sundanese; sv Swedish; sw Swahili; ta Tamil;
    te Telugu; tg Tajik; th Thai; ti Tigrinya; tk Turkmen; tl Tagalog; tn Tswana; to Tongan; tr Turkish;
    ts Tsonga; tt Tatar; tw Twi; ty Tahitian; ug Uyghur; uk Ukrainian; ur Urdu; uz Uzbek; ve Venda;
    vi Vietnamese; vo Volapük; wa Walloon; wo Wolof; xh Xhosa; yi Yiddish; yo Yoruba; za Zhuang;
    zh Chinese; zu Zulu
"""

#: ISO 639-1 code -> English name.
LANGUAGE_NAMES: dict[str, str] = dict(
    entry.strip().split(" ", 1) for entry in _TABLE.replace("\n", " ").split(";") if entry.strip()
)


def language_hint(value: str) -> str:
    """The code ``value`` probably meant, or ``""``: the code of a language named
    ``value`` ("English" -> "en"), else the closest code by spelling ("EN" -> "en").

    >>> language_hint("english"), language_hint("EN"), language_hint("xx")
    ('en', 'en', '')
    """
    folded = value.strip().casefold()
    if folded in LANGUAGE_NAMES:
        return folded
    by_name = {name.casefold(): code for code, name in LANGUAGE_NAMES.items()}
    if folded in by_name:
        return by_name[folded]
    close = difflib.get_close_matches(folded, list(by_name), n=1, cutoff=0.8)
    return by_name[close[0]] if close else ""
