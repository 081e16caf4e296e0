"""The server answers searches on several threads at once; the stemmer must not mix up their
words (a shared Snowball stemmer raised IndexError under load)."""

import sys
from concurrent.futures import ThreadPoolExecutor

from louise.catalog.search import _stem

WORDS = ["Schuhreparaturen", "Bücher", "Weinhandlung", "Änderungsschneiderei", "Brot",
         "Fahrradwerkstätten", "Blumensträuße", "Unverpackt", "Mittagstische", "Wäscherei"]


def test_stemming_on_many_threads_gives_the_single_threaded_stems():
    expected = {word: _stem(word) for word in WORDS}

    def stem_all(offset: int) -> list[tuple[str, str]]:
        words = WORDS[offset:] + WORDS[:offset]
        return [(w, _stem(w)) for _ in range(300) for w in words]

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to provoke the race
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = [pair for run in pool.map(stem_all, range(12)) for pair in run]
    finally:
        sys.setswitchinterval(interval)
    assert {(w, s) for w, s in results} == set(expected.items())
