"""Schemathesis hooks of the API fuzzing run: model packages are uploaded as application/zip bytes."""
import schemathesis


@schemathesis.serializer("application/zip")
def zip_body(_context, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return str(value).encode()
