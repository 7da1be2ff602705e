"""A small client for Kouzi's JSON API (urllib only) and the synthetic data the console test uses."""

import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request

# Three machine states told apart by four sensor readings; each class has its own centre.
FEATURES = ["temperature", "pressure", "vibration", "humidity"]
CLASSES = ["normal", "worn", "faulty"]
CENTRES = {
    "normal": (60.0, 101.0, 0.2, 40.0),
    "worn": (72.0, 96.0, 1.1, 46.0),
    "faulty": (85.0, 90.0, 2.4, 38.0),
}
SPREAD = (3.0, 1.5, 0.15, 3.0)


def table_rows(count, seed, shift=0.0):
    """Rows (feature values..., label) drawn around the class centres; shift moves every feature by that many spreads."""
    generator = random.Random(seed)
    rows = []
    for index in range(count):
        label = CLASSES[index % len(CLASSES)]
        centre = CENTRES[label]
        values = [round(centre[j] + SPREAD[j] * (generator.gauss(0, 1) + shift), 4) for j in range(len(FEATURES))]
        rows.append(values + [label])
    generator.shuffle(rows)
    return rows


def table_csv(count, seed, shift=0.0):
    lines = [",".join(FEATURES + ["label"])]
    for row in table_rows(count, seed, shift):
        lines.append(",".join(str(v) for v in row))
    return ("\n".join(lines) + "\n").encode()


def png_bytes(width, height, pixel):
    """A greyscale PNG whose pixel (x, y) has the value pixel(x, y) in 0…255."""
    import struct
    import zlib
    rows = b"".join(b"\x00" + bytes(pixel(x, y) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def squares_idx(count):
    """IDX bytes (images, labels) of 8×8 greyscale images: a bright 3×3 square in the top-left corner (class 0, "tl")
    or the bottom-right one (class 1, "br") on dim noise."""
    import struct
    images = bytearray(b"\x00\x00\x08\x03" + struct.pack(">III", count, 8, 8))
    labels = bytearray(b"\x00\x00\x08\x01" + struct.pack(">I", count))
    state = 12345
    for index in range(count):
        label = index % 2
        corner = 0 if label == 0 else 5
        for y in range(8):
            for x in range(8):
                state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
                inside = corner <= y < corner + 3 and corner <= x < corner + 3
                images.append(230 if inside else state >> 59)
        labels.append(label)
    return bytes(images), bytes(labels)


SQUARE_CLASSES = ["tl", "br"]


def square_png(corner):
    """A PNG of one such image without the noise: the square in the top-left ("tl") or bottom-right ("br") corner."""
    start = 0 if corner == "tl" else 5
    return png_bytes(8, 8, lambda x, y: 230 if start <= x < start + 3 and start <= y < start + 3 else 10)


def reviews_csv(repeats=120):
    """Short reviews, "pos" when they say great and "neg" when they say dull."""
    positive = ["a great film", "great acting and a great story", "truly great", "what a great day", "great fun"]
    negative = ["a dull film", "dull acting and a dull story", "truly dull", "what a dull day", "dull fun"]
    lines = ["text,label"]
    for index in range(repeats):
        lines.append(f"{positive[index % 5]},pos")
        lines.append(f"{negative[index % 5]},neg")
    return ("\n".join(lines) + "\n").encode()


def wav_bytes(seconds, rate=8000, frequency=440.0):
    """A mono 16-bit PCM WAV file of a sine tone."""
    import math
    import struct
    samples = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * frequency * i / rate)))
                       for i in range(int(seconds * rate)))
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(samples), b"WAVE", b"fmt ", 16, 1, 1, rate, rate * 2, 2, 16,
                         b"data", len(samples))
    return header + samples


def zip_bytes(files):
    """A ZIP archive of {path: bytes}."""
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()


class ApiError(Exception):
    def __init__(self, status, method, path, body):
        super().__init__(f"{method} {path} answered {status}: {body[:500]}")
        self.status = status
        self.body = body


class Api:
    """JSON requests against one server, authenticated with a bearer token or a session cookie."""

    def __init__(self, base_url, token=None, cookie=None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.cookie = cookie
        # Loopback only: never go through a proxy from the environment.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(self, method, path, body=None, content_type=None, query=None, timeout=60, headers=None):
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None
        all_headers = dict(headers or {})
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
                all_headers["Content-Type"] = content_type or "application/octet-stream"
            else:
                data = json.dumps(body).encode()
                all_headers["Content-Type"] = "application/json"
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if self.cookie:
            all_headers["Cookie"] = self.cookie
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                raw = response.read()
                status = response.status
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            raise ApiError(error.code, method, path, error.read().decode(errors="replace")) from None
        if "json" in kind and raw:
            return json.loads(raw)
        return raw if raw else status

    def get(self, path, **query):
        return self.request("GET", path, query=query or None)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body=body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request("PUT", path, body=body, **kwargs)

    def default_project(self):
        projects = self.get("/api/v1/projects")
        for project in projects:
            if project["name"] == "default":
                return project["id"]
        return projects[0]["id"]

    def all_pages(self, path, **query):
        """Every item of a paged list (limit/offset)."""
        items, offset = [], 0
        while True:
            page = self.get(path, limit=1000, offset=offset, **query)
            items.extend(page)
            if len(page) < 1000:
                return items
            offset += len(page)


def infer_body(rows):
    """An Open Inference Protocol request with one FP32 tensor per feature column."""
    return {"inputs": [{"name": name, "shape": [len(rows)], "datatype": "FP32", "data": [row[j] for row in rows]}
                       for j, name in enumerate(FEATURES)]}


def timed(function):
    start = time.monotonic()
    value = function()
    return value, time.monotonic() - start
