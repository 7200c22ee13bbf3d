"""Language: the fast path agrees with py3langid, and declines what is not clear-cut."""

from __future__ import annotations

import pytest

from newsarchive.clean import CleanConfig
from newsarchive.clean.language import detect_language, fast_language

LANGUAGE_SAMPLES = {
    "en": "The council said on Tuesday that the bridge would reopen after eight months of "
          "repairs, and that the cost had been met by the regional government and the city.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, dass die Brücke nach acht Monaten wieder "
          "geöffnet wird. Die Kosten werden von der Regierung und der Stadt getragen.",
    "fr": "Le conseil a annoncé mardi que le pont serait rouvert après huit mois de travaux, "
          "et que le coût a été pris en charge par la région et la ville.",
    "es": "El consejo dijo el martes que el puente se abrirá de nuevo tras ocho meses de obras "
          "y que el coste fue pagado por el gobierno regional y la ciudad.",
    "pt": "O conselho disse na terça-feira que a ponte será reaberta depois de oito meses de "
          "obras e que o custo foi pago pelo governo regional e pela cidade.",
    "it": "Il consiglio ha detto martedì che il ponte sarà riaperto dopo otto mesi di lavori e "
          "che il costo è stato pagato dalla regione e dalla città per i cittadini.",
    "id": "Dewan kota mengatakan pada hari Selasa bahwa jembatan itu akan dibuka kembali "
          "setelah delapan bulan perbaikan dan biaya yang ada sudah dibayar oleh pemerintah.",
    "ru": "Городской совет сообщил во вторник, что мост будет открыт после восьми месяцев "
          "ремонта, а расходы были покрыты региональным правительством.",
    "ja": "市議会は火曜日、8か月にわたる補修工事の後に橋を再開すると発表した。費用は地方政府と市が負担した。",
    "ko": "시의회는 화요일 8개월간의 보수 공사를 마친 다리를 다시 개통한다고 밝혔다. 비용은 지방 정부와 시가 부담했다.",
}


def test_language_fast_path_agrees_with_py3langid():
    py3langid = pytest.importorskip("py3langid")
    for lang, text in LANGUAGE_SAMPLES.items():
        assert fast_language(text) == lang, lang
        assert py3langid.classify(text[:CleanConfig().lang_sample_chars])[0] == lang, lang
        assert detect_language(text) == lang


def test_language_fast_path_declines_what_is_not_clear_cut():
    assert fast_language("Oper shr profit two cts vs loss 19 cts Revs 102.5 mln vs 39.9 "
                                "mln Avg shrs 20.0 mln") is None  # tables: py3langid decides
    assert fast_language("Tribunnews.com TribunStyle.com TribunTravel.com TribunWow.com "
                                "Tribun-Video.com TribunJualBeli.com") is None
    assert fast_language("Зірвана операція НАБУ: як Венедіктова захищала нардепа від "
                                "Слуги народу, право на захист") is None  # Ukrainian, not Russian
    assert fast_language("中国共产党的优秀党员，久经考验的忠诚的共产主义战士，杰出的无产阶级革命家") is None
    assert detect_language("two words") is None
