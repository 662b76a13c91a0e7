#!/usr/bin/python3
"""Independent DKIM oracle built on Debian's python3-dkim (module `dkim`,
version 1.1.4, /usr/lib/python3/dist-packages/dkim/__init__.py).

It gives, for every DKIM-Signature header of a message, the verdict of
python3-dkim, so that tamis's own verifier can be cross-checked against an
implementation it shares no code with.

Usage
-----
  dkim-oracle.py < cases.json > verdicts.json
  dkim-oracle.py --summary test/fixtures/dkim-suites/manifest.json > ORACLE-SUMMARY.txt

stdin (default mode): a JSON array of cases
  { "message": "<base64 of the exact message bytes>",
    "keys":    { "sel._domainkey.example.com": "v=DKIM1; p=..."   TXT value
                 | null                                           NXDOMAIN / no record
                 | {"error": "timeout" | "servfail"} },           DNS failure
    "now":     <unix seconds> | null | "t+1",
    "minkey":  <int, default 1024> }
  - "now": the clock python3-dkim checks t= and x= against (time.time is
    replaced inside the dkim module for the call). null = the real clock.
    "t+1" = each signature at its own t= plus one second, which is when tamis
    verifies it (real clock for a signature without t=).
  - a name python3-dkim asks for that is not in "keys" is answered like null
    (no record); its verdict is then "nokey".

stdout: a JSON array, same order as the cases, each an array with one object
per DKIM-Signature header in header order (index 0 = the topmost one):
  { "index": i, "d": "...", "s": "...", "a": "...",
    "class": "pass" | "fail" | "permerror" | "nokey" | "temperror",
    "detail": "python3-dkim's own reason text" }
d / s / a are null when the header does not carry them (or cannot be parsed).

Each signature is checked with dkim.DKIM(message, minkey=minkey).verify(idx=i,
dnsfunc=...). The DNS names python3-dkim asks for look like
b"sel._domainkey.example.com."; the trailing dot is stripped and the name
lower-cased before it is looked up in "keys".

Class mapping (what python3-dkim 1.1.4 raises or logs, and where)
-----------------------------------------------------------------
verify() returns True                                     -> pass

verify() raises:
  ValidationError "body hash mismatch (got ..., expected ...)"
      (DomainSigner.verify_sig_process)                   -> fail
  any other dkim.DKIMException                            -> permerror, e.g.
      ValidationError from validate_signature_fields: "missing <tag>=",
        "unknown signature algorithm: ...", "v= value is not 1",
        "q= value is not dns/txt", "i= domain is not a subdomain of d=",
        "b= value is not valid base64", "x= value is past",
        "t= value is in the future", "l= value is not a decimal integer" ...
      MessageFormatError: tag-list syntax of the signature, "invalid c= value",
        "Unexpected characters in RFC822 header"
      KeyFormatError "public key too small: N" (RSA key shorter than minkey;
        python3-dkim raises it only after the signature itself verified) and
        "digest too large for modulus"
      UnknownKeyTypeError: the key record has an s= service type other than
        *, email or tlsrpt (evaluate_pk's bare `except:` swallows its own
        "unknown service type" KeyFormatError and leaves no key type)
      ValidationError "Message is not tlsrpt and Service Type is tlsrpt"
  any other Python exception (python3-dkim crashed)       -> permerror,
      detail "python3-dkim crashed: <type>: <text>"

verify() returns False: DomainSigner.verify_sig logged the reason with
logger.error() and gave up, or the signature did not verify:
  "missing public key: <name>" (evaluate_pk: the dnsfunc returned None or an
      empty string)                                       -> nokey
  "DnsTimeoutError: Domain: ... Selector: ... Error message: ..." (this
      script's dnsfunc raises dkim.DnsTimeoutError for a {"error": ...} record,
      servfail included: python3-dkim has no other temporary-failure path)
                                                          -> temperror
  any other logged text: KeyFormatError from evaluate_pk -- "bad version"
      (v= other than DKIM1), "unknown algorithm in k= tag: ...",
      "could not parse RSA public key (...)" (this includes the revoked key,
      empty p=), "incomplete RSA public key", "could not parse ed25519 public
      key", tag-list syntax errors of the key record; "KeyFormatError: <binascii
      error>" (p= is not base64)                          -> permerror
  nothing logged: the RSASSA-PKCS1-v1_5 comparison was False or ed25519 raised
      BadSignatureError -- headers (or key) do not match the signature
                                                          -> fail,
      detail "signature did not verify"

python3-dkim does not look at the key record's h=, g= or t=s tags and accepts
a key record with no v=; a source that fails a signature for those reasons
will disagree with this oracle.

--summary MANIFEST runs every manifest entry (file relative to the manifest;
bare LF turned into CRLF when the entry says "crlf": true), each signature at
its own t= + 1 s, minkey 1024, and prints class counts and every signature
whose python3-dkim class disagrees with the source's own expectation.
"""

import base64
import json
import logging
import re
import sys
import time as _real_time

import dkim
from dkim.util import parse_tag_value

CLASSES = ('pass', 'fail', 'permerror', 'nokey', 'temperror')


class _Clock:
    """Stands in for the `time` module inside dkim for one call."""

    def __init__(self, now):
        self._now = now

    def time(self):
        return float(self._now)

    def __getattr__(self, name):
        return getattr(_real_time, name)


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.errors = []

    def emit(self, record):
        if record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage())


_capture = _Capture()
_logger = logging.getLogger('dkim-oracle')
_logger.propagate = False
_logger.setLevel(logging.INFO)
_logger.addHandler(_capture)


def _text(b):
    if b is None:
        return None
    if isinstance(b, bytes):
        return b.decode('utf-8', 'replace')
    return str(b)


def _signature_headers(msg):
    """DKIM-Signature header values in header order. Uses python3-dkim's own
    parser; falls back to a plain scan when that parser rejects the header."""
    try:
        headers, _ = dkim.rfc822_parse(msg)
        return [v for n, v in headers if n.lower() == b'dkim-signature'], None
    except Exception as e:  # MessageFormatError and anything else
        err = '%s: %s' % (type(e).__name__, e)
    out = []
    cur = None
    for line in re.split(rb'\r?\n', msg):
        if line == b'':
            break
        if line[:1] in (b' ', b'\t'):
            if cur is not None:
                cur.append(line)
            continue
        cur = None
        m = re.match(rb'([^:\s]+)\s*:(.*)$', line, re.S)
        if m and m.group(1).lower() == b'dkim-signature':
            cur = [m.group(2)]
            out.append(cur)
    return [b'\r\n'.join(x) for x in out], err


def _tags(value):
    try:
        t = parse_tag_value(value)
        return {k: t.get(k) for k in (b'd', b's', b'a', b't')}
    except Exception:
        out = {}
        for k in (b'd', b's', b'a', b't'):
            m = re.search(rb'(?:^|;)\s*' + k + rb'\s*=\s*([^;]*)', value)
            out[k] = re.sub(rb'\s+', b'', m.group(1)) if m else None
        return out


def _make_dnsfunc(keys):
    def dnsfunc(name, timeout=5):
        n = _text(name).rstrip('.').lower()
        if n not in keys:
            return None
        v = keys[n]
        if v is None:
            return None
        if isinstance(v, dict):
            raise dkim.DnsTimeoutError(str(v.get('error', 'error')))
        return v.encode('utf-8') if isinstance(v, str) else v
    return dnsfunc


def verify_one(msg, idx, keys, now=None, minkey=1024):
    """Verdict of python3-dkim for the idx-th DKIM-Signature: (class, detail)."""
    dnsfunc = _make_dnsfunc(keys)
    _capture.errors = []
    saved = dkim.time
    if now is not None:
        dkim.time = _Clock(now)
    try:
        d = dkim.DKIM(msg, logger=_logger, minkey=minkey)
        ok = d.verify(idx=idx, dnsfunc=dnsfunc)
    except dkim.ValidationError as e:
        text = str(e)
        if text.startswith('body hash mismatch'):
            return 'fail', 'ValidationError: ' + text
        return 'permerror', 'ValidationError: ' + text
    except dkim.DKIMException as e:
        return 'permerror', '%s: %s' % (type(e).__name__, e)
    except Exception as e:
        return 'permerror', 'python3-dkim crashed: %s: %s' % (type(e).__name__, e)
    finally:
        dkim.time = saved
    if ok:
        return 'pass', 'signature verified'
    logged = '; '.join(_capture.errors)
    if not logged:
        return 'fail', 'signature did not verify'
    if 'missing public key' in logged:
        return 'nokey', logged
    if 'DnsTimeoutError' in logged:
        return 'temperror', logged
    return 'permerror', logged


def verify_message(msg, keys, now=None, minkey=1024):
    keys = {str(k).rstrip('.').lower(): v for k, v in (keys or {}).items()}
    values, parse_error = _signature_headers(msg)
    out = []
    for i, value in enumerate(values):
        t = _tags(value)
        rec = {'index': i, 'd': _text(t[b'd']), 's': _text(t[b's']), 'a': _text(t[b'a'])}
        if parse_error:
            rec['class'], rec['detail'] = 'permerror', parse_error
        else:
            when = now
            if now == 't+1':
                when = None
                if t[b't'] is not None and re.fullmatch(rb'\d+', t[b't']):
                    when = int(t[b't']) + 1
            rec['class'], rec['detail'] = verify_one(msg, i, keys, when, minkey)
        out.append(rec)
    return out


def run_cases(cases):
    results = []
    for c in cases:
        msg = base64.b64decode(c['message'])
        minkey = c.get('minkey')
        results.append(verify_message(msg, c.get('keys') or {}, c.get('now'),
                                      1024 if minkey is None else int(minkey)))
    return results


# ------------------------------------------------------------------ --summary

_PASS_WORDS = {'pass', 'Err == nil', 'SUCCESS', 'Pass', '[OK]', 'dkim=pass'}
_NOT_PASS = {'fail', 'permerror', 'nokey', 'temperror'}


def _acceptable(exp):
    """The oracle classes a source's expectation agrees with, as (set, kind);
    kind is 'policy' for a verdict of a policy layer above DKIM, None when the
    expectation cannot be compared with a DKIM class."""
    if exp is True or exp in _PASS_WORDS:
        return {'pass'}, 'dkim'
    if exp is False or exp == '[ER]':
        return set(_NOT_PASS), 'dkim'
    if exp == 'fail':
        return {'fail'}, 'dkim'
    if exp == 'invalid':
        return {'permerror', 'nokey', 'temperror'}, 'dkim'
    if exp == 'TEMPFAIL':
        return {'temperror'}, 'dkim'
    if isinstance(exp, str) and exp.startswith('PERMFAIL'):
        err = exp.partition('/')[2]
        if err.startswith('DKIM_POLICYERROR'):
            return {'pass'}, 'policy'
        if err in ('DKIM_SIGERROR_CORRUPT_BH', 'DKIM_SIGERROR_BADSIG'):
            return {'fail'}, 'dkim'
        if err.startswith('DKIM_SIGERROR_'):
            return {'permerror'}, 'dkim'
        return {'fail', 'permerror', 'nokey'}, 'dkim'
    return None, None


def _fmt(exp):
    return json.dumps(exp, ensure_ascii=False)


def summary(manifest_path):
    import os
    from collections import Counter, OrderedDict
    base = os.path.dirname(os.path.abspath(manifest_path))
    with open(manifest_path, encoding='utf-8') as f:
        entries = json.load(f)
    counts = Counter()
    by_source = OrderedDict()
    disagree, policy, uncompared, agreed_nonpass = [], [], [], []
    compared = agreed = 0
    nsig = 0
    for e in entries:
        with open(os.path.join(base, e['file']), 'rb') as f:
            msg = f.read()
        if e.get('crlf'):
            msg = re.sub(rb'(?<!\r)\n', b'\r\n', msg)
        res = verify_message(msg, e.get('keys') or {}, 't+1', 1024)
        src = by_source.setdefault(e['source'], Counter())
        for r in res:
            counts[r['class']] += 1
            src[r['class']] += 1
            nsig += 1
        exp = e.get('expect')
        checks = []  # (label, expectation, set of results considered, mode)
        if isinstance(exp, dict):
            sigs = exp.get('signatures')
            if sigs is not None:
                for i, x in enumerate(sigs):
                    if x is not None and i < len(res):
                        checks.append(('sig %d' % i, x, [res[i]], 'each'))
            if exp.get('message') is not None:
                checks.append(('message', exp['message'], res, 'any-pass'))
            if exp.get('best') is not None:
                checks.append(('best of %d' % len(res), exp['best'], res, 'any-pass'))
        elif exp is not None:
            if len(res) == 1:
                checks.append(('sig 0', exp, res, 'each'))
            else:
                checks.append(('message', exp, res, 'any-pass'))
        else:
            uncompared.append('%s: no expectation in the source (%d signature(s): %s)' % (
                e['id'], len(res), ', '.join(r['class'] for r in res)))
        for label, x, rs, mode in checks:
            ok_set, kind = _acceptable(x)
            def describe(rr):
                return '; '.join('sig %d d=%s s=%s a=%s -> %s (%s)' % (
                    r['index'], r['d'], r['s'], r['a'], r['class'], r['detail'][:160]) for r in rr)
            if ok_set is None:
                uncompared.append('%s [%s]: source expects %s, not a DKIM verdict; python3-dkim: %s' % (
                    e['id'], label, _fmt(x), describe(rs)))
                continue
            if mode == 'any-pass' and ok_set == {'pass'}:
                good = any(r['class'] == 'pass' for r in rs)
            elif mode == 'any-pass':
                good = not any(r['class'] == 'pass' for r in rs)
            else:
                good = rs[0]['class'] in ok_set
            line = '%s [%s]: source %s; python3-dkim: %s' % (e['id'], label, _fmt(x), describe(rs))
            if any(r['detail'].startswith('KeyFormatError: public key too small') for r in rs):
                line += '  <- weak key only: the signature itself verified'
            if kind == 'policy':
                policy.append(line + ('  (agrees: pass)' if good else '  (python3-dkim does not pass it)'))
                continue
            compared += 1
            if good:
                agreed += 1
                if ok_set != {'pass'}:
                    agreed_nonpass.append(line + '  | source note: ' + (e.get('note') or '')[:140])
            else:
                disagree.append(line)
    out = []
    w = out.append
    try:
        from importlib.metadata import version
        ver = version('dkimpy')
    except Exception:
        ver = '(version unknown)'
    w('python3-dkim (dkimpy %s) oracle over %s' % (ver, os.path.basename(manifest_path)))
    w('(test/helpers/dkim-oracle.py --summary; minkey 1024; each signature checked at its own t= + 1 s,')
    w(' real clock when it has no t=; LF -> CRLF where the manifest says "crlf": true)')
    w('')
    w('%d manifest entries, %d files, %d signature checks' % (
        len(entries), len({e['file'] for e in entries}), nsig))
    w('')
    w('Classes (all signature checks):')
    for c in CLASSES:
        w('  %-10s %4d' % (c, counts[c]))
    w('')
    w('Classes per source:')
    for s, c in by_source.items():
        w('  %-14s ' % s + '  '.join('%s %d' % (k, c[k]) for k in CLASSES if c[k]))
    w('')
    w('Source expectations compared: %d, agree %d, disagree %d' % (compared, agreed, len(disagree)))
    w('Vocabulary: mail-dkim pass/fail/invalid (invalid = permerror, nokey or temperror); dkimpy true/false;')
    w('go-msgauth "Err == nil"; dkim-verifier SUCCESS, TEMPFAIL, PERMFAIL/<errorType> (CORRUPT_BH, BADSIG = fail,')
    w('other DKIM_SIGERROR_* = permerror); mail-auth Pass; blaze [OK]/[ER]; authheaders dkim=pass.')
    w('A message-level expectation on a multi-signature message is met by any passing signature.')
    w('')
    w('Disagreements (source expectation vs python3-dkim class), one per line:')
    for l in disagree:
        w('  ' + l)
    if not disagree:
        w('  (none)')
    w('')
    w('Policy-level verdicts of the source (not a DKIM verdict; python3-dkim only checks the signature):')
    for l in policy:
        w('  ' + l)
    if not policy:
        w('  (none)')
    w('')
    w('Agreements on a non-pass verdict, with python3-dkim\'s reason next to what the source says the case is')
    w('about (the class can agree for another reason, e.g. a draft-era v=0.5 signature rejected before its key is read):')
    for l in agreed_nonpass:
        w('  ' + l)
    w('')
    w('Not compared:')
    for l in uncompared:
        w('  ' + l)
    return '\n'.join(out) + '\n'


def main(argv):
    if len(argv) >= 3 and argv[1] == '--summary':
        sys.stdout.write(summary(argv[2]))
        return 0
    if len(argv) > 1:
        sys.stderr.write(__doc__)
        return 2
    cases = json.load(sys.stdin)
    json.dump(run_cases(cases), sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
