"""Build territoria's reference geography from Etalab's *découpage administratif*.

Usage (from the repository root; needs ``npm`` and access to the npm registry):

    python scripts/build_geography.py

The reference is INSEE's Code officiel géographique (COG), its populations
légales and the DGCL list of EPCI, as Etalab publishes them in the npm package
``@etalab/decoupage-administratif`` (data under the Licence Ouverte, code MIT).
This script fetches that package at the version pinned below with ``npm pack``,
checks the tarball against the pinned sha512 (npm's ``integrity``) before
reading anything from it, and writes only what territoria needs:

* ``src/territoria_cli/geography.json`` — the 18 régions and 101 départements
  (code, name, région of each département, population): small, read by the
  filters, ``stats`` and ``import``;
* ``src/territoria_cli/geography-bodies.tsv.gz`` — every commune, municipal
  arrondissement and EPCI (code, name, département(s), population): read only
  by ``import`` (to validate and fill codes and populations) and by the build
  of ``data/awards.json``.

Both outputs are committed: nothing is downloaded when territoria runs or when
its tests run. Why this version and which populations it carries:
docs/data.md, "Geography".
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "src" / "territoria_cli"
REGIONS_OUT = PACKAGE_DIR / "geography.json"
BODIES_OUT = PACKAGE_DIR / "geography-bodies.tsv.gz"

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
#: npm's ``integrity`` of the tarball (``npm view PACKAGE@VERSION dist.integrity``).
INTEGRITY = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
#: What the version carries (package README, "Millésimes et versions de package",
#: and its "Sources": populations légales millésime 2023, in force on 1 January 2026).
COG_YEAR = 2026
POPULATION_YEAR = 2023

#: The zones of the COG that are régions and départements. The collectivités
#: d'outre-mer ("com": Saint-Martin, Polynésie française…) are listed by the
#: package beside them but are neither; see docs/data.md.
ZONES = ("metro", "drom")

def fetch(workdir: Path) -> bytes:
    """The package tarball, fetched with ``npm pack`` and checked against INTEGRITY."""
    result = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--json", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    (packed,) = json.loads(result.stdout)
    assert packed["version"] == VERSION, packed["version"]
    tarball = (workdir / packed["filename"]).read_bytes()
    algorithm, expected = INTEGRITY.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if actual != expected:
        raise SystemExit(f"{PACKAGE}@{VERSION}: checksum mismatch ({algorithm}-{actual}, expected {INTEGRITY})")
    print(f"{PACKAGE}@{VERSION}: {len(tarball)} bytes, {INTEGRITY} verified")
    print(f"  sha256 {hashlib.sha256(tarball).hexdigest()}")
    return tarball


def read_data(tarball: bytes) -> dict[str, list[dict]]:
    """The four JSON files used, read straight from the tarball (nothing else is extracted)."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        return {
            name: json.load(archive.extractfile(f"package/data/{name}.json"))  # type: ignore[arg-type]
            for name in ("regions", "departements", "communes", "epci")
        }


def build(data: dict[str, list[dict]]) -> tuple[dict, list[str]]:
    communes = [c for c in data["communes"] if c["type"] == "commune-actuelle" and c["zone"] in ZONES]
    arrondissements = [c for c in data["communes"] if c["type"] == "arrondissement-municipal"]
    population_of_departement: dict[str, int] = defaultdict(int)
    for commune in communes:
        population_of_departement[commune["departement"]] += commune["population"]

    departements = [d for d in data["departements"] if d["zone"] in ZONES]
    population_of_region: dict[str, int] = defaultdict(int)
    for departement in departements:
        population_of_region[departement["region"]] += population_of_departement[departement["code"]]
    regions = [r for r in data["regions"] if r["zone"] in ZONES]
    assert (len(regions), len(departements)) == (18, 101), (len(regions), len(departements))

    reference = {
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "integrity": INTEGRITY,
            "cog": COG_YEAR,
            "population": POPULATION_YEAR,
        },
        "regions": [[r["code"], r["nom"], population_of_region[r["code"]]] for r in regions],
        "departements": [
            [d["code"], d["nom"], d["region"], population_of_departement[d["code"]]] for d in departements
        ],
    }

    # One line per body: kind, code, name, département(s) joined by ",", population.
    departement_of_commune = {c["code"]: c["departement"] for c in communes}
    population_of_commune = {c["code"]: c["population"] for c in communes}
    lines = [f"commune\t{c['code']}\t{c['nom']}\t{c['departement']}\t{c['population']}" for c in communes]
    lines += [
        f"arrondissement\t{a['code']}\t{a['nom']}\t{a['departement']}\t{a['population']}" for a in arrondissements
    ]
    for epci in data["epci"]:
        members = [m["code"] for m in epci["membres"]]
        # The EPCI's population municipale is the sum of its communes'; summed
        # from communes.json so that every population has the same millésime
        # (the DGCL figure in epci.json is from an older millésime).
        population = sum(population_of_commune[code] for code in members)
        departments = sorted({departement_of_commune[code] for code in members})
        lines.append(f"epci\t{epci['code']}\t{epci['nom']}\t{','.join(departments)}\t{population}")
    assert all("\t" not in line.split("\t", 2)[2].rsplit("\t", 2)[0] for line in lines)
    return reference, lines


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        tarball = fetch(Path(workdir))
    reference, lines = build(read_data(tarball))
    REGIONS_OUT.write_text(json.dumps(reference, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    # mtime=0: the same input gives the same bytes, so a rebuild shows no diff.
    with BODIES_OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"wrote {REGIONS_OUT.relative_to(ROOT)} ({REGIONS_OUT.stat().st_size} bytes)")
    print(f"wrote {BODIES_OUT.relative_to(ROOT)} ({BODIES_OUT.stat().st_size} bytes, {len(lines)} bodies)")


if __name__ == "__main__":
    sys.exit(main())
