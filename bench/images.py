"""Peak memory and time of turning an upload into stored images (core.images).

Each case runs in a fresh Python process (peak RSS only ever grows): the figure is the peak
resident memory of that process minus its resident memory just before the call, with the
upload's bytes already in memory, and the wall time of ``reencode_variants`` with the
testimonials' sizes (1600 and 720 px). Not a test: figures only (issue #12, F10).

    .venv/bin/python bench/images.py
"""

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"full": 1600, "thumb": 720}


def _case_bytes(name: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    if name == "png-1bit-6300":  # the review's bomb: 4.9 KB, 39.7 megapixels
        Image.new("1", (6300, 6300)).save(buffer, "PNG", optimize=True)
    elif name == "png-1bit-4000":  # 16 megapixels, the new ceiling
        Image.new("1", (4000, 4000)).save(buffer, "PNG", optimize=True)
    elif name == "png-rgba-4000":
        Image.linear_gradient("L").resize((4000, 4000)).convert("RGBA").save(buffer, "PNG")
    elif name == "jpeg-4000":  # a 16-megapixel phone photo
        gradient = Image.linear_gradient("L").resize((4000, 4000))
        Image.merge("RGB", (gradient, gradient.rotate(90), gradient.rotate(180))).save(
            buffer, "JPEG", quality=85
        )
    elif name == "jpeg-6000x2600":  # a wide panorama, 15.6 megapixels
        gradient = Image.linear_gradient("L").resize((6000, 2600))
        Image.merge("RGB", (gradient, gradient, gradient)).save(buffer, "JPEG", quality=85)
    else:
        raise ValueError(name)
    return buffer.getvalue()


CASES = ["png-1bit-6300", "png-1bit-4000", "png-rgba-4000", "jpeg-4000", "jpeg-6000x2600"]


def _rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _run_one(name: str, path: str) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ressourcerie.settings")
    os.environ.setdefault("RESSOURCERIE_ENV", "test")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ressourcerie.core import images

    data = Path(path).read_bytes()
    upload = SimpleUploadedFile("upload", data)
    import gc

    gc.collect()
    before = _rss_kb()
    start = time.perf_counter()
    try:
        variants = images.reencode_variants(upload, SIZES)
        outcome = "ok " + "/".join(str(len(f.read())) for f in variants.values()) + " B"
    except ValidationError as error:
        outcome = f"refused ({error.code})"
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "case": name,
        "file_kb": round(len(data) / 1024, 1),
        "peak_mb": round(max(0, peak - before) / 1024, 1),
        "ms": round(elapsed * 1000),
        "outcome": outcome,
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(_run_one(sys.argv[2], sys.argv[3])))
        return
    print(f"{'case':<16} {'file':>9} {'peak RSS':>10} {'time':>8}  outcome")
    folder = tempfile.TemporaryDirectory()
    for name in CASES:
        # Made here, not in the measuring process: building the image would be its peak.
        path = Path(folder.name) / name
        path.write_bytes(_case_bytes(name))
        out = subprocess.run(
            [sys.executable, __file__, "--one", name, str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        row = json.loads(out.strip().splitlines()[-1])
        print(
            f"{row['case']:<16} {row['file_kb']:>6} KB {row['peak_mb']:>7} MB "
            f"{row['ms']:>5} ms  {row['outcome']}"
        )


if __name__ == "__main__":
    main()
