"""The age file format (age-encryption.org/v1) with a passphrase, written and read as a stream.

A backup must be readable by any age implementation (``age -d``, rage, pyrage) and must
never be held whole in memory. pyrage's passphrase functions take and return ``bytes``
only, so this module frames the format itself, from the ``cryptography`` package's
primitives (scrypt, ChaCha20-Poly1305, HKDF and HMAC-SHA-256), exactly as the
specification lays it out (https://age-encryption.org/v1):

- header: ``age-encryption.org/v1``, one ``scrypt`` stanza (a 16-byte salt and the work
  factor log2 N) holding the 16-byte file key wrapped with the passphrase's scrypt key,
  and a MAC of the header keyed from the file key;
- payload: a 16-byte nonce, then the plaintext in 64 KiB chunks, each sealed with
  ChaCha20-Poly1305 under a key derived from the file key and the nonce; the nonce of a
  chunk is its counter with a flag on the last one, so a file cut at a chunk boundary,
  chunks reordered or a single flipped bit all fail to open.

``tests/test_backup.py`` checks that pyrage reads what this writes and the other way round.
"""

import base64
import hmac
import io
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

INTRO = b"age-encryption.org/v1\n"
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
CHUNK = 64 * 1024
TAG = 16
# age's own default; every age implementation opens files made with it.
DEFAULT_WORK_FACTOR = 18
# The most a file may ask for when it is opened (age's own limit): scrypt with N = 2^22 needs
# 4 GiB of memory (128 * r * N bytes), and a forged file could ask for far more.
MAX_WORK_FACTOR = 22
# A header line is short; a longer one means the file is not an age file.
MAX_HEADER_LINE = 512


class AgeError(Exception):
    """The file cannot be opened; the message says why, in words an operator can act on."""


class WrongPassphrase(AgeError):
    """The passphrase does not open the file."""


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    """age's base64: standard alphabet, no padding, canonical (re-encoding gives it back)."""
    try:
        data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise AgeError("The backup's header is damaged (invalid base64).") from None
    if _b64(data) != text:
        raise AgeError("The backup's header is damaged (non-canonical base64).")
    return data


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def _scrypt_key(passphrase: bytes, salt: bytes, work_factor: int) -> bytes:
    return Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=2**work_factor, r=8, p=1).derive(
        passphrase
    )


def _chunk_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class Writer(io.RawIOBase):
    """A write-only stream that encrypts what it is given into ``sink`` as an age file.

    Holds at most one chunk (64 KiB) of plaintext. ``close()`` writes the last chunk; a
    file not closed is incomplete, and opening it says it was cut short.
    """

    def __init__(self, sink, passphrase: str, work_factor: int = DEFAULT_WORK_FACTOR):
        super().__init__()
        self._sink = sink
        file_key = secrets.token_bytes(16)
        salt = secrets.token_bytes(16)
        wrapped = ChaCha20Poly1305(_scrypt_key(passphrase.encode(), salt, work_factor)).encrypt(
            bytes(12), file_key, None
        )
        header = (
            INTRO
            + b"-> scrypt "
            + _b64(salt)
            + b" "
            + str(work_factor).encode()
            + b"\n"
            + _b64(wrapped)
            + b"\n---"
        )
        mac = hmac.new(_hkdf(file_key, b"", b"header"), header, "sha256").digest()
        nonce = secrets.token_bytes(16)
        sink.write(header + b" " + _b64(mac) + b"\n" + nonce)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._counter = 0
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.closed:
            raise ValueError("write to a closed age file")
        self._buffer += data
        # Keep the last full chunk back: only close() knows whether it is the last one.
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plaintext: bytes, last: bool) -> None:
        nonce = _chunk_nonce(self._counter, last)
        self._sink.write(self._aead.encrypt(nonce, plaintext, None))
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


def _read_line(source) -> bytes:
    line = source.readline(MAX_HEADER_LINE)
    if not line.endswith(b"\n"):
        raise AgeError("The backup is not an age-encrypted file, or its header is cut short.")
    return line[:-1]


def _open_header(source, passphrase: str) -> bytes:
    """Read and check the header of an age file; return its file key."""
    if source.read(len(INTRO)) != INTRO:
        raise AgeError("The file is not an age-encrypted backup.")
    header = INTRO
    stanzas = []
    while True:
        line = _read_line(source)
        if line.startswith(b"---"):
            break
        if not line.startswith(b"-> "):
            raise AgeError("The backup's header is damaged.")
        header += line + b"\n"
        arguments = line[3:].split(b" ")
        body = b""
        while True:
            body_line = _read_line(source)
            header += body_line + b"\n"
            body += body_line
            if len(body_line) < 64:
                break
        stanzas.append((arguments, body))
    if len(stanzas) != 1 or stanzas[0][0][:1] != [b"scrypt"]:
        raise AgeError("The backup is not encrypted with a passphrase (it has other recipients).")
    arguments, body = stanzas[0]
    if len(arguments) != 3 or not arguments[2].isdigit() or arguments[2].startswith(b"0"):
        raise AgeError("The backup's header is damaged.")
    salt, work_factor = _unb64(arguments[1]), int(arguments[2])
    if len(salt) != 16:
        raise AgeError("The backup's header is damaged.")
    if work_factor > MAX_WORK_FACTOR:
        raise AgeError(
            f"The backup asks for a passphrase work factor of {work_factor}; "
            f"at most {MAX_WORK_FACTOR} is accepted."
        )
    wrapped = _unb64(body)
    try:
        file_key = ChaCha20Poly1305(_scrypt_key(passphrase.encode(), salt, work_factor)).decrypt(
            bytes(12), wrapped, None
        )
    except InvalidTag:
        raise WrongPassphrase("The passphrase does not open this backup.") from None
    if not line.startswith(b"--- "):
        raise AgeError("The backup's header is damaged.")
    header += b"---"
    expected = hmac.new(_hkdf(file_key, b"", b"header"), header, "sha256").digest()
    if not hmac.compare_digest(expected, _unb64(line[4:])):
        raise AgeError("The backup's header was altered.")
    return file_key


class Reader(io.RawIOBase):
    """A read-only stream of the plaintext of an age file, checked chunk by chunk.

    Opening checks the passphrase and the header; reading raises ``AgeError`` at the first
    chunk that was altered, and at the end if the file was cut short, so a reader that
    got to the end without an error has read exactly what was written.
    """

    def __init__(self, source, passphrase: str):
        super().__init__()
        self._source = source
        file_key = _open_header(source, passphrase)
        nonce = source.read(16)
        if len(nonce) != 16:
            raise AgeError("The backup is cut short.")
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._counter = 0
        self._plain = memoryview(b"")
        self._next = source.read(CHUNK + TAG)
        self._done = False

    def readable(self) -> bool:
        return True

    def _open_chunk(self) -> None:
        sealed = self._next
        if len(sealed) < TAG:
            raise AgeError("The backup is cut short.")
        self._next = self._source.read(CHUNK + TAG) if len(sealed) == CHUNK + TAG else b""
        last = not self._next
        try:
            plain = self._aead.decrypt(_chunk_nonce(self._counter, last), sealed, None)
        except InvalidTag:
            if last and self._opens_as_middle(sealed):
                # A whole chunk sealed as "not the last", then nothing: the end was cut off.
                raise AgeError("The backup is cut short.") from None
            if last:
                # Cut inside a chunk, or its last chunk altered: the two look the same.
                raise AgeError("The backup is cut short or was altered.") from None
            raise AgeError("The backup was altered or is damaged.") from None
        self._plain = memoryview(plain)
        if not plain and (self._counter > 0 or not last):
            raise AgeError("The backup was altered or is damaged.")
        self._counter += 1
        self._done = last

    def _opens_as_middle(self, sealed: bytes) -> bool:
        try:
            self._aead.decrypt(_chunk_nonce(self._counter, False), sealed, None)
        except InvalidTag:
            return False
        return True

    def readinto(self, buffer) -> int:
        while not self._plain:
            if self._done:
                return 0
            self._open_chunk()
        size = min(len(buffer), len(self._plain))
        buffer[:size] = self._plain[:size]
        self._plain = self._plain[size:]
        return size
