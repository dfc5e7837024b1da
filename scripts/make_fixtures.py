#!/usr/bin/env python3
"""Writes sceplint's fixtures: for each rule, passing and failing profiles in every vendor format
the rule applies to, plus container formats (binary, signed, UTF-16) and broken files.

Every failing fixture is its vendor's clean, Okta-compliant profile with exactly the setting
under test changed, so each snapshot shows one focused finding. The fixtures are committed; run
this again only to change them (signed fixtures get a fresh throwaway key each time):

    python3 scripts/make_fixtures.py

Needs Python 3.9+ and, for the signed fixtures, the openssl command.
"""

import copy
import json
import os
import plistlib
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent / "fixtures"

# A made-up static challenge. sceplint must never print it (tests/secrets.rs checks).
SECRET = "kX9#qZ2vT7-pR4Wz8mY1-Lb3Q7nH"
OKTA_URL = "https://acme.okta.com/pki/5b1c9e0a7d3f4e2b8c6a1d0e9f8b7a6c5d4e3f21/scep/okta-ca"


def scep_settings(subject_cn="$COMPUTERNAME ma $UDID", **changes):
    """An Okta-compliant SCEP payload's settings, in Apple's key order."""
    settings = {
        "URL": OKTA_URL,
        "Name": "Okta CA",
        "Subject": [[["CN", subject_cn]]],
        "Challenge": SECRET,
        "Keysize": 2048,
        "Key Type": "RSA",
        "Key Usage": 1,
        "Retries": 5,
        "RetryDelay": 30,
        "KeyIsExtractable": False,
        "AllowAllAppsAccess": True,
    }
    for key, value in changes.items():
        key = key.replace("_", " ") if key in ("Key_Usage", "Key_Type") else key
        if value is DELETE:
            settings.pop(key, None)
        else:
            settings[key] = value
    return settings


DELETE = object()


def rename(settings, old, new):
    """Renames a key in place, keeping its position (a misspelling)."""
    return {(new if k == old else k): v for k, v in settings.items()}


def profile(settings, identifier="com.acme.okta.scep", uuid="7E1B4C2A-5D3F-4A6B-9C8D-0E1F2A3B4C5D",
            payload_id=None, payload_uuid="3C2B1A09-8F7E-4D6C-B5A4-93827160F5E4", scope="System",
            extra_payloads=(), name="Okta Device Trust SCEP"):
    payload = {
        "PayloadContent": settings,
        "PayloadDisplayName": "SCEP",
        "PayloadIdentifier": payload_id or f"{identifier}.scep",
        "PayloadType": "com.apple.security.scep",
        "PayloadUUID": payload_uuid,
        "PayloadVersion": 1,
    }
    top = {
        "PayloadContent": [payload, *extra_payloads],
        "PayloadDisplayName": name,
        "PayloadIdentifier": identifier,
        "PayloadType": "Configuration",
        "PayloadUUID": uuid,
        "PayloadVersion": 1,
    }
    if scope:
        top["PayloadScope"] = scope
    return top


def plist_xml(value, version="1.0"):
    text = plistlib.dumps(value, sort_keys=False).decode()
    return text.replace('<plist version="1.0">', f'<plist version="{version}">')


# The UUIDs the builders use. Every fixture file gets its own (derived from its path, so
# regenerating gives the same ones): a repository's profiles do not share identifiers, and
# duplicate-identifier would flag them if they did. Its own folder keeps the shared ones.
SHARED_UUIDS = [
    "7E1B4C2A-5D3F-4A6B-9C8D-0E1F2A3B4C5D",
    "3C2B1A09-8F7E-4D6C-B5A4-93827160F5E4",
    "9F1E2D3C-4B5A-4697-8877-665544332211",
    "8A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9",
    "A3D5F7E9-1B2C-4D6E-8F0A-1C3E5A7B9D2F",
    "B4E6A8C0-2D3E-4F5A-9B1C-2D4E6F8A0B1C",
    "E7B9DBF3-5A6B-4C8D-AE4F-5A7B9C1D3E4F",
]
FIXTURE_NAMESPACE = uuid.UUID("6f0c5f62-3f7e-4b0a-9d36-2f1e5c4b3a29")


def own_uuids(path, data):
    """Replaces the shared UUIDs in `data` (upper or lower case, as ASCII or UTF-16) with ones
    of the fixture's own."""
    if str(path).startswith("duplicate-identifier/"):
        return data
    for shared in SHARED_UUIDS:
        mine = str(uuid.uuid5(FIXTURE_NAMESPACE, f"{path}:{shared}")).upper()
        for old, new in ((shared, mine), (shared.lower(), mine.lower())):
            for encoding in ("ascii", "utf-16-le", "utf-16-be"):
                data = data.replace(old.encode(encoding), new.encode(encoding))
    return data


def write(path, content):
    if isinstance(content, str):
        content = content.encode()
    content = own_uuids(path, content)
    path = ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


# Vendor wrappers -------------------------------------------------------------------------------

JAMF_SUBJECT = "$COMPUTERNAME ma $UDID"
KANDJI_SUBJECT = "$SERIAL_NUMBER"


def jamf_profile(settings=None, **kw):
    kw.setdefault("identifier", "9F1E2D3C-4B5A-4697-8877-665544332211")
    kw.setdefault("uuid", "9F1E2D3C-4B5A-4697-8877-665544332211")
    return profile(settings or scep_settings(JAMF_SUBJECT), **kw)


def jamf_xml(plist_value, level="System", redeploy=None, mobile=False, name="Okta Device Trust SCEP"):
    """A Jamf Pro Classic API export: the plist escaped inside general/payloads, as Jamf writes
    it (version "1", minified after the prologue)."""
    inner = plist_xml(plist_value, version="1")
    head, _, body = inner.partition("<plist")
    minified = "".join(line.strip() for line in ("<plist" + body).splitlines())
    payloads = escape(head.strip() + "\n" + minified, {'"': "&quot;"})
    root = "configuration_profile" if mobile else "os_x_configuration_profile"
    redeploy_line = (
        f"\n    <redeploy_days_before_certificate_expires>{redeploy}</redeploy_days_before_certificate_expires>"
        if redeploy is not None else ""
    )
    level_line = f"\n    <level>{level}</level>" if level else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?><{root}>
  <general>
    <id>412</id>
    <name>{escape(name)}</name>
    <description>Device certificate for Okta management attestation</description>
    <site>
      <id>-1</id>
      <name>None</name>
    </site>
    <distribution_method>Install Automatically</distribution_method>
    <user_removable>false</user_removable>{level_line}
    <uuid>9f1e2d3c-4b5a-4697-8877-665544332211</uuid>
    <redeploy_on_update>Newly Assigned</redeploy_on_update>{redeploy_line}
    <payloads>{payloads}</payloads>
  </general>
  <scope>
    <all_computers>true</all_computers>
  </scope>
</{root}>
"""


def jamf_json(plist_value, level="System", redeploy=None, redeploy_key="redeploy_days_before_certificate_expires"):
    general = {
        "id": 412,
        "name": "Okta Device Trust SCEP",
        "distribution_method": "Install Automatically",
        "level": level,
        "uuid": "9f1e2d3c-4b5a-4697-8877-665544332211",
        "payloads": plist_xml(plist_value, version="1"),
    }
    if redeploy is not None:
        general[redeploy_key] = redeploy
    return json.dumps({"os_x_configuration_profile": {"general": general, "scope": {"all_computers": True}}}, indent=2) + "\n"


def kandji_profile(settings=None, **kw):
    kw.setdefault("identifier", "com.kandji.profile.custom.8a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9")
    kw.setdefault("payload_id", "com.kandji.profile.custom.8a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9.scep")
    kw.setdefault("uuid", "8A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9")
    return profile(settings or scep_settings(KANDJI_SUBJECT), **kw)


def kandji_json(plist_value):
    return json.dumps({
        "id": "8a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9",
        "name": "Okta Device Trust SCEP",
        "active": True,
        "profile": plist_xml(plist_value),
        "mdm_identifier": "com.kandji.profile.custom.8a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9",
        "runs_on_mac": True,
        "runs_on_iphone": False,
        "runs_on_ipad": False,
        "runs_on_tv": False,
        "created_at": "2026-03-02T17:04:11.417520Z",
        "updated_at": "2026-09-14T08:30:52.118310Z",
    }, indent=2) + "\n"


def intune_macos(**changes):
    obj = {
        "@odata.type": "#microsoft.graph.macOSScepCertificateProfile",
        "id": "2f6d0c8e-1b4a-4e7c-9d3f-5a6b7c8d9e0f",
        "displayName": "Okta Device Trust - macOS SCEP",
        "description": "Device certificate for Okta management attestation",
        "createdDateTime": "2026-03-02T17:04:11Z",
        "lastModifiedDateTime": "2026-09-14T08:30:52Z",
        "version": 3,
        "deploymentChannel": "userChannel",
        "renewalThresholdPercentage": 20,
        "certificateStore": "user",
        "certificateValidityPeriodScale": "years",
        "certificateValidityPeriodValue": 1,
        "subjectNameFormat": "custom",
        "subjectNameFormatString": "CN={{UserPrincipalName}} ma {{DeviceId}}",
        "keySize": "size2048",
        "keyUsage": "digitalSignature",
        "subjectAlternativeNameType": "none",
        "customSubjectAlternativeNames": [],
        "extendedKeyUsages": [{"name": "Client Authentication", "objectIdentifier": "1.3.6.1.5.5.7.3.2"}],
        "scepServerUrls": ["https://acme.okta.com/pki/5b1c9e0a7d3f4e2b8c6a1d0e9f8b7a6c5d4e3f21/scep/intune"],
        "allowAllAppsAccess": True,
    }
    return apply(obj, changes)


def intune_windows(**changes):
    obj = {
        "@odata.type": "#microsoft.graph.windows81SCEPCertificateProfile",
        "id": "6c1a9e2f-3d4b-4a5c-8e7f-0a1b2c3d4e5f",
        "displayName": "Okta Device Trust - Windows SCEP",
        "renewalThresholdPercentage": 20,
        "certificateStore": "user",
        "certificateValidityPeriodScale": "years",
        "certificateValidityPeriodValue": 1,
        "subjectNameFormat": "custom",
        "subjectNameFormatString": "CN={{UserPrincipalName}} ma {{AAD_Device_ID}}",
        "keyStorageProvider": "useTpmKspOtherwiseUseSoftwareKsp",
        "keySize": "size2048",
        "keyUsage": "digitalSignature",
        "hashAlgorithm": "sha2",
        "subjectAlternativeNameType": "none",
        "customSubjectAlternativeNames": [],
        "extendedKeyUsages": [{"name": "Client Authentication", "objectIdentifier": "1.3.6.1.5.5.7.3.2"}],
        "scepServerUrls": ["https://acme.okta.com/pki/5b1c9e0a7d3f4e2b8c6a1d0e9f8b7a6c5d4e3f21/scep/intune"],
    }
    return apply(obj, changes)


def apply(obj, changes):
    obj = copy.deepcopy(obj)
    for key, value in changes.items():
        if value is DELETE:
            obj.pop(key, None)
        else:
            obj[key] = value
    return obj


def dump_json(obj):
    return json.dumps(obj, indent=2) + "\n"


def generic_profile(settings=None, **kw):
    kw.setdefault("identifier", "com.example.fleet.okta-scep.A3D5F7E9-1B2C-4D6E-8F0A-1C3E5A7B9D2F")
    kw.setdefault("uuid", "A3D5F7E9-1B2C-4D6E-8F0A-1C3E5A7B9D2F")
    kw.setdefault("scope", None)
    return profile(settings or scep_settings("managementAttestation %HardwareUUID%"), **kw)


# Rules -----------------------------------------------------------------------------------------

def redistribution_enabled():
    d = "redistribution-enabled"
    write(f"{d}/jamf-mobile-fail-off.xml", jamf_xml(jamf_profile(), level=None, redeploy=0, mobile=True))
    write(f"{d}/jamf-mobile-pass.xml", jamf_xml(jamf_profile(), level=None, redeploy=120, mobile=True))
    write(f"{d}/jamf-fail-unknown.xml", jamf_xml(jamf_profile()))
    write(f"{d}/jamf-fail-lifetime.json", jamf_json(jamf_profile(), redeploy=365))
    write(f"{d}/jamf-pass.json", jamf_json(jamf_profile(), redeploy=30,
                                           redeploy_key="redeployDaysBeforeCertificateExpires"))
    write(f"{d}/kandji-fail-unknown.json", kandji_json(kandji_profile()))
    write(f"{d}/kandji-fail-unknown.mobileconfig", plist_xml(kandji_profile()))
    write(f"{d}/intune-fail-zero.json", dump_json(intune_macos(renewalThresholdPercentage=0)))
    write(f"{d}/intune-fail-missing.json", dump_json(intune_windows(renewalThresholdPercentage=DELETE)))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/generic-fail-unknown.mobileconfig", plist_xml(generic_profile()))
    # Exports that cannot show redistribution pass once it is declared; the test harness reads
    # `-declared-N` in the name as `--redistribution-days N`.
    write(f"{d}/kandji-pass-declared-30.json", kandji_json(kandji_profile()))
    write(f"{d}/generic-pass-declared-120.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/generic-fail-declared-400.mobileconfig", plist_xml(generic_profile()))


def subject_length():
    d = "subject-length"
    fits_exactly = "$COMPUTERNAME managementAttestation $UDID"  # "CN=" + 41 = 44, + 20 = 64
    write(f"{d}/jamf-fail.xml", jamf_xml(jamf_profile(scep_settings("$COMPUTERNAME managementAttestation $UDID $SERIALNUMBER"))))
    write(f"{d}/jamf-fail-two-rdns.json", jamf_json(jamf_profile(scep_settings(
        Subject=[[["O", "Acme Corporation"]], [["CN", fits_exactly]]])), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile()))
    write(f"{d}/jamf-pass-token-present.xml", jamf_xml(jamf_profile(scep_settings(
        "$COMPUTERNAME managementAttestation $UDID $PROFILE_IDENTIFIER"))))
    write(f"{d}/jamf-mobile-pass-redistribution-off.xml", jamf_xml(jamf_profile(scep_settings(
        "$COMPUTERNAME managementAttestation $UDID $SERIALNUMBER")), level=None, redeploy=0, mobile=True))
    write(f"{d}/kandji-fail.json", kandji_json(kandji_profile(scep_settings(
        "$DEVICE_NAME $SERIAL_NUMBER $EMAIL managementAttestation"))))
    write(f"{d}/kandji-pass.mobileconfig", plist_xml(kandji_profile()))
    write(f"{d}/intune-fail.json", dump_json(intune_macos(
        subjectNameFormatString="CN={{UserPrincipalName}} managementAttestation {{AAD_Device_ID}} macOS")))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/generic-fail.mobileconfig", plist_xml(generic_profile(scep_settings(
        "managementAttestation %HardwareUUID% %SerialNumber% %ComputerName%"))))
    write(f"{d}/generic-pass-two-rdns.mobileconfig", plist_xml(generic_profile(scep_settings(
        Subject=[[["CN", "managementAttestation %HardwareUUID%"]], [["OU", "$FLEET_VAR_CERTIFICATE_RENEWAL_ID"]]]))))


def key_size():
    d = "key-size"
    write(f"{d}/jamf-fail.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, Keysize=1024))))
    write(f"{d}/jamf-fail-4096.json", jamf_json(jamf_profile(scep_settings(JAMF_SUBJECT, Keysize=4096)), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile()))
    write(f"{d}/jamf-fail-export.mobileconfig", plist_xml(jamf_profile(scep_settings(JAMF_SUBJECT, Keysize=DELETE)), version="1"))
    write(f"{d}/kandji-fail-misspelt.mobileconfig", plist_xml(kandji_profile(rename(scep_settings(KANDJI_SUBJECT), "Keysize", "KeySize"))))
    write(f"{d}/kandji-fail-absent.json", kandji_json(kandji_profile(scep_settings(KANDJI_SUBJECT, Keysize=DELETE))))
    write(f"{d}/kandji-pass.json", kandji_json(kandji_profile()))
    write(f"{d}/intune-fail.json", dump_json(intune_macos(keySize="size1024")))
    write(f"{d}/intune-fail-unset.json", dump_json(intune_windows(keySize=None)))
    write(f"{d}/intune-pass.json", dump_json(intune_windows()))
    write(f"{d}/generic-fail-string.mobileconfig", plist_xml(generic_profile(scep_settings(Keysize="2048"))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))


def key_usage_signing_only():
    d = "key-usage-signing-only"
    write(f"{d}/jamf-fail.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, Key_Usage=5))))
    write(f"{d}/jamf-pass.json", jamf_json(jamf_profile(), redeploy=120))
    write(f"{d}/kandji-fail-absent.mobileconfig", plist_xml(kandji_profile(scep_settings(KANDJI_SUBJECT, Key_Usage=DELETE))))
    write(f"{d}/kandji-fail-misspelt.json", kandji_json(kandji_profile(rename(scep_settings(KANDJI_SUBJECT), "Key Usage", "KeyUsage"))))
    write(f"{d}/kandji-pass.mobileconfig", plist_xml(kandji_profile()))
    write(f"{d}/intune-fail.json", dump_json(intune_macos(keyUsage="keyEncipherment,digitalSignature")))
    write(f"{d}/intune-fail-encryption.json", dump_json(intune_windows(keyUsage="keyEncipherment")))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/generic-fail.mobileconfig", plist_xml(generic_profile(scep_settings(Key_Usage=4))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))


def key_not_extractable():
    d = "key-not-extractable"
    write(f"{d}/jamf-fail.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, KeyIsExtractable=True))))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile()))
    write(f"{d}/jamf-fail-absent.json", jamf_json(jamf_profile(scep_settings(JAMF_SUBJECT, KeyIsExtractable=DELETE)), redeploy=120))
    write(f"{d}/kandji-fail-absent.json", kandji_json(kandji_profile(scep_settings(KANDJI_SUBJECT, KeyIsExtractable=DELETE))))
    write(f"{d}/kandji-pass.json", kandji_json(kandji_profile()))
    write(f"{d}/generic-fail-misspelt.mobileconfig", plist_xml(generic_profile(rename(scep_settings(), "KeyIsExtractable", "keyIsExtractable"))))
    write(f"{d}/generic-fail-string.mobileconfig", plist_xml(generic_profile(scep_settings(KeyIsExtractable="false"))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/intune-pass-not-applicable.json", dump_json(intune_macos()))


def all_apps_access():
    d = "all-apps-access"
    write(f"{d}/jamf-fail.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, AllowAllAppsAccess=False))))
    write(f"{d}/jamf-pass.json", jamf_json(jamf_profile(), redeploy=120))
    write(f"{d}/jamf-mobile-pass-not-applicable.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, AllowAllAppsAccess=DELETE)),
                                                               level=None, redeploy=120, mobile=True))
    write(f"{d}/kandji-fail-absent.mobileconfig", plist_xml(kandji_profile(scep_settings(KANDJI_SUBJECT, AllowAllAppsAccess=DELETE))))
    write(f"{d}/kandji-pass.json", kandji_json(kandji_profile()))
    write(f"{d}/intune-fail.json", dump_json(intune_macos(allowAllAppsAccess=False)))
    write(f"{d}/intune-fail-absent.json", dump_json(intune_macos(allowAllAppsAccess=DELETE)))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/intune-pass-windows.json", dump_json(intune_windows()))
    write(f"{d}/generic-fail-absent.mobileconfig", plist_xml(generic_profile(scep_settings(AllowAllAppsAccess=DELETE))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))


def static_challenge():
    d = "static-challenge"
    write(f"{d}/jamf-fail-empty.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, Challenge=""))))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile()))
    write(f"{d}/jamf-pass-variable.json", jamf_json(jamf_profile(scep_settings(JAMF_SUBJECT, Challenge="$MSSCEPCHALLENGE")), redeploy=120))
    write(f"{d}/kandji-fail-placeholder.json", kandji_json(kandji_profile(scep_settings(KANDJI_SUBJECT, Challenge="YOUR_SCEP_SECRET_KEY_FROM_OKTA"))))
    write(f"{d}/kandji-pass.mobileconfig", plist_xml(kandji_profile()))
    write(f"{d}/generic-fail-absent.mobileconfig", plist_xml(generic_profile(scep_settings(Challenge=DELETE))))
    write(f"{d}/generic-fail-misspelt.mobileconfig", plist_xml(generic_profile(rename(scep_settings(), "Challenge", "challenge"))))
    write(f"{d}/generic-pass-fleet-variable.mobileconfig", plist_xml(generic_profile(scep_settings(
        Challenge="$FLEET_VAR_NDES_SCEP_CHALLENGE", URL="$FLEET_VAR_NDES_SCEP_PROXY_URL"))))
    write(f"{d}/intune-pass-not-applicable.json", dump_json(intune_windows()))


# Containers and broken files -------------------------------------------------------------------

def bad_key_size_profile():
    """A generic profile whose only problems are a 1024-bit key and unknown redistribution."""
    return generic_profile(scep_settings(Keysize=1024))


def formats():
    d = "formats"
    value = bad_key_size_profile()
    text = plist_xml(value)
    write(f"{d}/xml-utf8.mobileconfig", text)
    write(f"{d}/xml-utf8-bom.mobileconfig", b"\xef\xbb\xbf" + text.encode())
    write(f"{d}/xml-utf16le.mobileconfig", b"\xff\xfe" + text.replace("UTF-8", "UTF-16").encode("utf-16-le"))
    write(f"{d}/xml-utf16be.mobileconfig", b"\xfe\xff" + text.replace("UTF-8", "UTF-16").encode("utf-16-be"))
    write(f"{d}/xml-crlf.mobileconfig", text.replace("\n", "\r\n"))
    write(f"{d}/binary.mobileconfig", plistlib.dumps(value, fmt=plistlib.FMT_BINARY, sort_keys=False))
    sign(text.encode(), f"{d}/signed-der.mobileconfig", stream=False)
    big = generic_profile(scep_settings(Keysize=1024), extra_payloads=[certificate_payload()])
    sign(plist_xml(big).encode(), f"{d}/signed-ber.mobileconfig", stream=True)
    sign(plistlib.dumps(value, fmt=plistlib.FMT_BINARY), f"{d}/signed-binary.mobileconfig", stream=False)
    encrypted = {
        "EncryptedPayloadContent": b"\x30\x80" + bytes(range(64)),
        "PayloadDisplayName": "Encrypted Okta SCEP",
        "PayloadIdentifier": "com.acme.encrypted",
        "PayloadType": "Configuration",
        "PayloadUUID": "0D1C2B3A-4F5E-4D6C-9B8A-7F6E5D4C3B2A",
        "PayloadVersion": 1,
    }
    write(f"{d}/encrypted.mobileconfig", plist_xml(encrypted))
    jamf = jamf_profile(scep_settings(JAMF_SUBJECT, Keysize=1024))
    write(f"{d}/jamf-api.xml", jamf_xml(jamf, redeploy=120))
    write(f"{d}/jamf-api.json", jamf_json(jamf, redeploy=120))
    kandji = kandji_profile(scep_settings(KANDJI_SUBJECT, Keysize=1024))
    # Kandji's API escapes `<` and `>` as \u003c / \u003e.
    write(f"{d}/kandji-api.json", kandji_json(kandji).replace("<", "\\u003c").replace(">", "\\u003e"))
    windows = intune_windows(keySize="size1024")
    listed = {"@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations",
              "value": [intune_macos(), windows, {"@odata.type": "#microsoft.graph.macOSWiFiConfiguration", "id": "x"}]}
    write(f"{d}/intune-list.json", dump_json(listed))
    write(f"{d}/intune-utf16le-bom.json", b"\xff\xfe" + dump_json(windows).encode("utf-16-le"))
    write(f"{d}/intune-utf8-bom.json", b"\xef\xbb\xbf" + dump_json(windows).encode())
    stripped = apply(windows, {"id": DELETE, "createdDateTime": DELETE, "lastModifiedDateTime": DELETE})
    write(f"{d}/intune-intunecd_windows81SCEPCertificateProfile.json", dump_json(stripped))
    ios = apply(intune_macos(keySize="size1024"), {"@odata.type": "#microsoft.graph.iosScepCertificateProfile",
                                                   "allowAllAppsAccess": DELETE, "deploymentChannel": DELETE})
    write(f"{d}/intune-ios.json", dump_json(ios))
    two = generic_profile(scep_settings(), extra_payloads=[{
        "PayloadContent": scep_settings(Keysize=1024),
        "PayloadDisplayName": "Second SCEP",
        "PayloadIdentifier": "com.example.fleet.okta-scep.second.B4E6A8C0-2D3E-4F5A-9B1C-2D4E6F8A0B1C",
        "PayloadType": "com.apple.security.scep",
        "PayloadUUID": "B4E6A8C0-2D3E-4F5A-9B1C-2D4E6F8A0B1C",
        "PayloadVersion": 1,
    }])
    write(f"{d}/two-payloads.mobileconfig", plist_xml(two))
    write(f"{d}/no-scep.json", dump_json({"name": "not a profile", "values": [1, 2, 3]}))
    write(f"{d}/no-scep-wifi.mobileconfig", plist_xml({
        "PayloadContent": [{"PayloadType": "com.apple.wifi.managed", "PayloadIdentifier": "com.acme.wifi",
                            "PayloadUUID": "C5F7B9D1-3E4F-4A6B-8C2D-3E5F7A9B1C2D", "PayloadVersion": 1, "SSID_STR": "Acme"}],
        "PayloadIdentifier": "com.acme.wifi.profile", "PayloadType": "Configuration",
        "PayloadUUID": "D6A8CAE2-4F5A-4B7C-9D3E-4F6A8B0C2D3E", "PayloadVersion": 1,
    }))


def certificate_payload():
    """A root certificate payload, to make a signed profile large enough to be streamed in
    several BER segments."""
    return {
        "PayloadCertificateFileName": "acme-root.cer",
        "PayloadContent": bytes((i * 7 + 3) % 256 for i in range(6000)),
        "PayloadDisplayName": "Acme Root CA",
        "PayloadIdentifier": "com.example.fleet.okta-scep.root",
        "PayloadType": "com.apple.security.root",
        "PayloadUUID": "E7B9DBF3-5A6B-4C8D-AE4F-5A7B9C1D3E4F",
        "PayloadVersion": 1,
    }


def signed_content(path):
    """The content of an existing signed fixture, or None."""
    if not (ROOT / path).exists():
        return None
    out = subprocess.run(["openssl", "cms", "-verify", "-noverify", "-inform", "DER", "-in", ROOT / path],
                         capture_output=True)
    return out.stdout if out.returncode == 0 else None


def sign(content, path, stream):
    """Signs `content` into `path` with a throwaway key, unless the file already holds it (so
    regenerating does not rewrite every signed fixture with a fresh key)."""
    if not shutil.which("openssl"):
        raise SystemExit("openssl is needed for the signed fixtures")
    content = own_uuids(path, content)
    if signed_content(path) == content:
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", tmp / "k.pem",
                        "-out", tmp / "c.pem", "-days", "3650", "-subj", "/CN=sceplint fixture signer"],
                       check=True, capture_output=True)
        (tmp / "in").write_bytes(content)
        args = ["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in", tmp / "in",
                "-signer", tmp / "c.pem", "-inkey", tmp / "k.pem", "-out", ROOT / path]
        if stream:
            args.insert(3, "-stream")
        (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(args, check=True, capture_output=True)


def replaced(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def parse_errors():
    d = "parse-error"
    good = plist_xml(generic_profile())
    write(f"{d}/truncated.mobileconfig", good[: good.index("<key>Keysize</key>") + 10])
    write(f"{d}/truncated-in-challenge.mobileconfig", good[: good.index(SECRET) + 9])
    write(f"{d}/unknown-entity.mobileconfig", replaced(good, "Okta CA", "Okta &ca;"))
    write(f"{d}/bad-ampersand-in-challenge.mobileconfig", replaced(good, SECRET, "kX9&qZ2vT7-pR4Wz8mY1-Lb3Q7nH"))
    write(f"{d}/key-without-value.mobileconfig", replaced(good, "<key>Retries</key>\n\t\t\t\t<integer>5</integer>", "<key>Retries</key>"))
    write(f"{d}/malformed-intune.json", dump_json(intune_macos())[:-40] + "\n")
    write(f"{d}/jamf-broken-payload.xml", replaced(jamf_xml(jamf_profile()), "&lt;/dict&gt;", "&lt;/dictt&gt;"))
    write(f"{d}/invalid-utf8.mobileconfig", good.encode().replace(b"Okta CA", b"Okta \xff CA"))
    write(f"{d}/garbage.mobileconfig", bytes((i * 31 + 7) % 256 for i in range(200)))
    write(f"{d}/truncated-binary.mobileconfig", plistlib.dumps(generic_profile(), fmt=plistlib.FMT_BINARY)[:300])
    write(f"{d}/empty.mobileconfig", b"")
    deep = "<array>" * 5000 + "</array>" * 5000
    write(f"{d}/deep-nesting.mobileconfig", f'<?xml version="1.0"?>\n<plist version="1.0">\n{deep}\n</plist>\n')
    signed = (ROOT / "formats/signed-der.mobileconfig").read_bytes()
    write(f"{d}/truncated-signed.mobileconfig", signed[: len(signed) // 2])


def with_comment(text, before, comment):
    """Puts an XML comment on its own line before the first line holding `before`."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if before in line:
            indent = line[: len(line) - len(line.lstrip())]
            lines.insert(i, f"{indent}<!-- {comment} -->")
            return "\n".join(lines)
    raise AssertionError(before)


def unused_suppression():
    d = "unused-suppression"
    exportable = plist_xml(generic_profile(scep_settings(KeyIsExtractable=True)))
    write(f"{d}/generic-pass.mobileconfig", with_comment(
        exportable, "<key>KeyIsExtractable</key>", "sceplint: ignore key-not-extractable -- the backup agent exports it"))
    write(f"{d}/generic-fail-unused.mobileconfig", with_comment(
        plist_xml(generic_profile()), "<key>KeyIsExtractable</key>", "sceplint: ignore SCEP005 -- legacy CA"))
    write(f"{d}/generic-fail-unknown-rule.mobileconfig", with_comment(
        exportable, "<key>KeyIsExtractable</key>", "sceplint: ignore SCEP005, SCEP999"))
    write(f"{d}/generic-fail-malformed.mobileconfig", with_comment(
        exportable, "<key>KeyIsExtractable</key>", "sceplint: ignroe SCEP005"))
    write(f"{d}/generic-pass-file.mobileconfig", with_comment(
        plist_xml(generic_profile()), "<dict>", "sceplint: ignore-file redistribution-enabled -- Fleet redistributes nightly"))
    write(f"{d}/generic-fail-wrong-key.mobileconfig", with_comment(
        exportable, "<key>AllowAllAppsAccess</key>", "sceplint: ignore key-not-extractable"))
    # Inside Jamf's escaped payload, the comment is escaped too.
    jamf = jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, Keysize=1024)), redeploy=120)
    write(f"{d}/jamf-pass-escaped.xml", jamf.replace(
        "&lt;key&gt;Keysize&lt;/key&gt;", "&lt;!-- sceplint: ignore key-size -- CA limit --&gt;&lt;key&gt;Keysize&lt;/key&gt;", 1))
    write(f"{d}/jamf-fail-file.xml", jamf.replace(
        "<general>", "<general>\n    <!-- sceplint: ignore-file SCEP004 -- nothing to silence -->", 1))


def config_tree():
    """A repository with configuration files, for the configuration tests."""
    d = "config"
    write(f"{d}/sceplint.toml", """# Root configuration of the test repository.
fail-on = "error"

[severity]
all-apps-access = "warning"

[rules.key-size]
allowed = [2048, 4096]

[[overrides]]
files = ["kandji/**"]
vendor = "kandji"
redistribution-days = 30

[[overrides]]
files = ["exports/*.json"]
ignore = ["key-usage-signing-only"]
""")
    write(f"{d}/jamf-4096.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, Keysize=4096, AllowAllAppsAccess=False)), redeploy=120))
    # Identifiers that do not say Kandji; the override does.
    write(f"{d}/kandji/okta-scep.mobileconfig", plist_xml(generic_profile(scep_settings(
        KANDJI_SUBJECT + " managementAttestation $DEVICE_NAME $EMAIL"))))
    write(f"{d}/exports/intune.json", dump_json(intune_macos(keyUsage="digitalSignature,keyEncipherment")))
    write(f"{d}/strict/sceplint.toml", """# A closer configuration replaces the root one for files below it.
fail-on = "warning"
select = ["key-size", "redistribution-enabled"]
""")
    write(f"{d}/strict/okta.mobileconfig", plist_xml(generic_profile(scep_settings(Keysize=4096, KeyIsExtractable=True))))


def config_errors():
    """Invalid configurations, named so discovery never finds them (tests pass --config)."""
    d = "config-errors"
    write(f"{d}/unknown-key.toml", 'select = ["key-size"]\ncolour = "always"\n')
    write(f"{d}/wrong-type.toml", '[rules.key-size]\nallowed = "2048"\n')
    write(f"{d}/unknown-rule.toml", 'ignore = ["all-apps-acess"]\n')
    write(f"{d}/bad-severity.toml", '[severity]\nkey-size = "fatal"\n')
    write(f"{d}/bad-glob.toml", '[[overrides]]\nfiles = ["exports/[a-z.json"]\nignore = ["SCEP002"]\n')
    write(f"{d}/bad-vendor.toml", '[[overrides]]\nfiles = ["*.json"]\nvendor = "airwatch"\n')
    write(f"{d}/not-toml.toml", 'select = ["key-size"\n')


# Issue 4's rules ---------------------------------------------------------------------------------

def subject_expanded_length():
    d = "subject-expanded-length"
    # Okta's own Jamf example fits at typical lengths (a 20-character computer name).
    write(f"{d}/jamf-pass-okta-example.xml", jamf_xml(jamf_profile(), redeploy=120))
    write(f"{d}/jamf-fail-long.xml", jamf_xml(jamf_profile(scep_settings("$COMPUTERNAME managementAttestation $UDID")), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(scep_settings("$SERIALNUMBER")), redeploy=120))
    write(f"{d}/kandji-fail.json", kandji_json(kandji_profile(scep_settings("$DEVICE_NAME managementAttestation $SERIAL_NUMBER Okta Verify"))))
    write(f"{d}/kandji-pass.mobileconfig", plist_xml(kandji_profile()))
    # No variable at all: 30 characters, and the UUID Kandji/Iru appends counts only in the
    # worst-case strictness.
    write(f"{d}/kandji-pass-literal.mobileconfig", plist_xml(kandji_profile(
        scep_settings("Okta managed device certificate"))))
    write(f"{d}/intune-fail-okta-example.json", dump_json(intune_macos(
        subjectNameFormatString="CN={{UserPrincipalName}} managementAttestation {{DeviceId}}")))
    write(f"{d}/intune-pass.json", dump_json(intune_windows(subjectNameFormatString="CN={{AAD_Device_ID}}")))
    write(f"{d}/generic-fail.mobileconfig", plist_xml(generic_profile(scep_settings("%ComputerName% managementAttestation %HardwareUUID%"))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))


def unknown_variable():
    d = "unknown-variable"
    write(f"{d}/jamf-fail-kandji-name.xml", jamf_xml(jamf_profile(scep_settings("$COMPUTERNAME ma $SERIAL_NUMBER")), redeploy=120))
    write(f"{d}/jamf-fail-lowercase.json", jamf_json(jamf_profile(scep_settings("$computername ma $UDID")), redeploy=120))
    write(f"{d}/jamf-fail-look-alike.xml", jamf_xml(jamf_profile(scep_settings("$UDID $PROFILEJSSID")), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, Challenge="$MSSCEPCHALLENGE")), redeploy=120))
    write(f"{d}/kandji-fail-jamf-name.json", kandji_json(kandji_profile(scep_settings("$SERIALNUMBER"))))
    write(f"{d}/kandji-fail-user-name.mobileconfig", plist_xml(kandji_profile(scep_settings("$SERIAL_NUMBER $USER_NAME"))))
    write(f"{d}/kandji-pass.json", kandji_json(kandji_profile(scep_settings("$SERIAL_NUMBER ma $EMAIL_PREFIX"))))
    write(f"{d}/intune-fail-case.json", dump_json(intune_macos(subjectNameFormatString="CN={{deviceid}}")))
    write(f"{d}/intune-fail-dollar.json", dump_json(intune_windows(subjectNameFormatString="CN=$UDID")))
    write(f"{d}/intune-pass.json", dump_json(intune_windows()))
    write(f"{d}/generic-fail-intune-syntax.mobileconfig", plist_xml(generic_profile(scep_settings("managementAttestation {{DeviceId}}"))))
    write(f"{d}/generic-fail-macos-typo.mobileconfig", plist_xml(generic_profile(scep_settings("managementAttestation %Hardware_UUID%"))))
    write(f"{d}/generic-pass-fleet.mobileconfig", plist_xml(generic_profile(scep_settings(
        Subject=[[["CN", "managementAttestation %HardwareUUID%"]], [["OU", "$FLEET_VAR_CERTIFICATE_RENEWAL_ID"]]],
        Challenge="$FLEET_VAR_NDES_SCEP_CHALLENGE", URL="$FLEET_VAR_NDES_SCEP_PROXY_URL"))))


def subject_device_identifier():
    d = "subject-device-identifier"
    write(f"{d}/jamf-fail.xml", jamf_xml(jamf_profile(scep_settings("$COMPUTERNAME")), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(), redeploy=120))
    write(f"{d}/kandji-fail.json", kandji_json(kandji_profile(scep_settings("$DEVICE_NAME"))))
    write(f"{d}/kandji-pass.mobileconfig", plist_xml(kandji_profile()))
    write(f"{d}/intune-fail.json", dump_json(intune_macos(subjectNameFormatString="CN={{UserPrincipalName}}")))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/generic-fail.mobileconfig", plist_xml(generic_profile(scep_settings("Okta device"))))
    write(f"{d}/generic-fail-no-subject.mobileconfig", plist_xml(generic_profile(scep_settings(Subject=DELETE))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))


def subject_syntax():
    d = "subject-syntax"
    write(f"{d}/jamf-fail-stray-quotes.xml", jamf_xml(jamf_profile(scep_settings(
        Subject=[[['"O', "Acme"]], [["CN", '$COMPUTERNAME ma $UDID"']]])), redeploy=120))
    write(f"{d}/jamf-fail-type.json", jamf_json(jamf_profile(scep_settings(Subject=[[["cn", "$COMPUTERNAME ma $UDID"]]])), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(scep_settings(
        Subject=[[["CN", "$COMPUTERNAME ma $UDID"]], [["O", "Acme"]], [["2.5.4.11", "IT"]]])), redeploy=120))
    write(f"{d}/kandji-fail-comma.mobileconfig", plist_xml(kandji_profile(scep_settings("$SERIAL_NUMBER $MODEL_IDENTIFIER"))))
    write(f"{d}/kandji-pass.json", kandji_json(kandji_profile(scep_settings("$SERIAL_NUMBER $MODEL_NAME"))))
    write(f"{d}/intune-fail-escape.json", dump_json(intune_macos(subjectNameFormatString="CN={{DeviceId}},O=Acme\\, Inc.")))
    write(f"{d}/intune-fail-empty.json", dump_json(intune_windows(subjectNameFormatString="CN={{AAD_Device_ID}},OU=")))
    write(f"{d}/intune-pass.json", dump_json(intune_windows(subjectNameFormatString="CN={{AAD_Device_ID}},E={{EmailAddress}},C=US")))
    write(f"{d}/generic-fail-bare-pair.mobileconfig", plist_xml(generic_profile(scep_settings(
        Subject=[["CN", "managementAttestation %HardwareUUID%"]]))))
    write(f"{d}/generic-fail-country.mobileconfig", plist_xml(generic_profile(scep_settings(
        Subject=[[["C", "USA"]], [["CN", "managementAttestation %HardwareUUID%"]]]))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile(scep_settings(
        Subject=[[["C", "US"]], [["O", "Acme"]], [["CN", "managementAttestation %HardwareUUID%"]]]))))


def certificate_level():
    d = "certificate-level"
    write(f"{d}/jamf-fail-user.xml", jamf_xml(jamf_profile(scope="User"), level="User", redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(), redeploy=120))
    write(f"{d}/kandji-fail-user.mobileconfig", plist_xml(kandji_profile(scope="User")))
    write(f"{d}/kandji-pass.json", kandji_json(kandji_profile()))
    write(f"{d}/intune-fail-machine.json", dump_json(intune_windows(certificateStore="machine")))
    write(f"{d}/intune-fail-user-device-channel.json", dump_json(intune_macos(deploymentChannel="deviceChannel")))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/generic-fail-user.mobileconfig", plist_xml(generic_profile(scope="User")))
    write(f"{d}/generic-pass-no-scope.mobileconfig", plist_xml(generic_profile()))


def san_none():
    d = "san-none"
    write(f"{d}/jamf-fail.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, SubjectAltName={"ntPrincipalName": "$USERNAME"})), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(), redeploy=120))
    write(f"{d}/kandji-fail.json", kandji_json(kandji_profile(scep_settings(KANDJI_SUBJECT, SubjectAltName={"dNSName": ["$DEVICE_NAME.acme.test"]}))))
    write(f"{d}/kandji-pass.mobileconfig", plist_xml(kandji_profile()))
    write(f"{d}/intune-fail.json", dump_json(intune_macos(customSubjectAlternativeNames=[{"sanType": "userPrincipalName", "name": "{{UserPrincipalName}}"}])))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/generic-fail.mobileconfig", plist_xml(generic_profile(scep_settings(SubjectAltName={"rfc822Name": "it@acme.test"}))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))


def scep_url():
    d = "scep-url"
    write(f"{d}/jamf-fail-http.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, URL=OKTA_URL.replace("https://", "http://"))), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(), redeploy=120))
    write(f"{d}/kandji-fail-no-scheme.mobileconfig", plist_xml(kandji_profile(scep_settings(KANDJI_SUBJECT, URL=OKTA_URL.replace("https://", "")))))
    write(f"{d}/kandji-pass.json", kandji_json(kandji_profile()))
    write(f"{d}/intune-fail-private.json", dump_json(intune_windows(scepServerUrls=["https://10.20.0.5/certsrv/mscep/mscep.dll"])))
    write(f"{d}/intune-fail-not-okta.json", dump_json(intune_macos(scepServerUrls=["https://ndes.acme.test/certsrv/mscep/mscep.dll"])))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/generic-fail-placeholder.mobileconfig", plist_xml(generic_profile(scep_settings(URL="https://yourdomain.okta.com/pki/YOUR_SCEP_PATH"))))
    write(f"{d}/generic-fail-localhost.mobileconfig", plist_xml(generic_profile(scep_settings(URL="https://localhost:9001/scep"))))
    write(f"{d}/generic-fail-missing.mobileconfig", plist_xml(generic_profile(scep_settings(URL=DELETE))))
    write(f"{d}/generic-pass-fleet-proxy.mobileconfig", plist_xml(generic_profile(scep_settings(URL="$FLEET_VAR_NDES_SCEP_PROXY_URL"))))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))


def payload_keys():
    d = "payload-keys"
    write(f"{d}/jamf-fail-misspelt.xml", jamf_xml(jamf_profile(rename(scep_settings(JAMF_SUBJECT), "Key Type", "KeyType")), redeploy=120))
    write(f"{d}/jamf-fail-type.json", jamf_json(jamf_profile(scep_settings(JAMF_SUBJECT, Retries="3")), redeploy=120))
    write(f"{d}/jamf-fail-renewal-interval.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, CertificateRenewalTimeInterval=14)), redeploy=120))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(), redeploy=120))
    write(f"{d}/kandji-fail-acme-key.mobileconfig", plist_xml(kandji_profile(scep_settings(KANDJI_SUBJECT, ExtendedKeyUsage=["1.3.6.1.5.5.7.3.2"]))))
    write(f"{d}/kandji-pass.json", kandji_json(kandji_profile()))
    write(f"{d}/generic-fail-key-size.mobileconfig", plist_xml(generic_profile(scep_settings(Keysize=3072))))
    write(f"{d}/generic-fail-key-usage.mobileconfig", plist_xml(generic_profile(scep_settings(Key_Usage=2))))
    write(f"{d}/kandji-fail-misspelt.mobileconfig", plist_xml(kandji_profile(
        rename(scep_settings(KANDJI_SUBJECT), "Keysize", "KeySize"))))
    write(f"{d}/jamf-fail-string-key-size.json", jamf_json(jamf_profile(scep_settings(JAMF_SUBJECT, Keysize="2048")), redeploy=120))
    write(f"{d}/generic-fail-key-type.mobileconfig", plist_xml(generic_profile(scep_settings(Key_Type="ECC"))))
    write(f"{d}/generic-fail-retries.mobileconfig", plist_xml(generic_profile(scep_settings(Retries=-1))))
    write(f"{d}/generic-fail-fingerprint.mobileconfig", plist_xml(generic_profile(scep_settings(CAFingerprint=bytes(range(12))))))
    write(f"{d}/generic-fail-duplicate.mobileconfig", replaced(plist_xml(generic_profile()),
        "\t\t\t\t<key>Retries</key>", "\t\t\t\t<key>Keysize</key>\n\t\t\t\t<integer>1024</integer>\n\t\t\t\t<key>Retries</key>"))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile(scep_settings(CAFingerprint=bytes(range(20))))))
    write(f"{d}/intune-pass-not-applicable.json", dump_json(intune_macos()))


def profile_structure():
    d = "profile-structure"
    wifi = {
        "PayloadCertificateUUID": "00000000-1111-4222-8333-444444444444",
        "PayloadDisplayName": "Wi-Fi", "PayloadIdentifier": "com.acme.wifi", "PayloadType": "com.apple.wifi.managed",
        "PayloadUUID": "5A6B7C8D-9E0F-4A1B-8C2D-3E4F5A6B7C8D", "PayloadVersion": 1, "SSID_STR": "Acme",
    }
    write(f"{d}/jamf-fail-dangling-reference.xml", jamf_xml(jamf_profile(extra_payloads=[wifi]), redeploy=120))
    resolved = dict(wifi, PayloadCertificateUUID="3C2B1A09-8F7E-4D6C-B5A4-93827160F5E4")
    write(f"{d}/jamf-pass-reference.xml", jamf_xml(jamf_profile(extra_payloads=[resolved]), redeploy=120))
    twin = dict(resolved, PayloadIdentifier="com.kandji.profile.custom.8a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9.scep")
    write(f"{d}/kandji-fail-duplicate-identifier.json", kandji_json(kandji_profile(extra_payloads=[twin])))
    write(f"{d}/kandji-pass.mobileconfig", plist_xml(kandji_profile()))
    bad_type = generic_profile(); bad_type["PayloadType"] = "Profile"
    write(f"{d}/generic-fail-type.mobileconfig", plist_xml(bad_type))
    bad_uuid = generic_profile(uuid="okta-scep-profile")
    write(f"{d}/generic-fail-uuid.mobileconfig", plist_xml(bad_uuid))
    no_identifier = generic_profile(); del no_identifier["PayloadIdentifier"]; no_identifier["PayloadVersion"] = 2
    write(f"{d}/generic-fail-identifier-version.mobileconfig", plist_xml(no_identifier))
    string_version = generic_profile(); string_version["PayloadVersion"] = "1"
    write(f"{d}/generic-fail-version-string.mobileconfig", plist_xml(string_version))
    bare = generic_profile()["PayloadContent"][0]
    write(f"{d}/generic-fail-bare-payload.mobileconfig", plist_xml(bare))
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/intune-pass-not-applicable.json", dump_json(intune_windows()))


def redistribution_window():
    d = "redistribution-window"
    write(f"{d}/jamf-mobile-fail-short.xml", jamf_xml(jamf_profile(), level=None, redeploy=7, mobile=True))
    write(f"{d}/jamf-fail-early.json", jamf_json(jamf_profile(), redeploy=360))
    write(f"{d}/jamf-pass.json", jamf_json(jamf_profile(), redeploy=120))
    write(f"{d}/kandji-fail-declared-7.json", kandji_json(kandji_profile()))
    write(f"{d}/kandji-pass-declared-30.mobileconfig", plist_xml(kandji_profile()))
    write(f"{d}/intune-fail-low-threshold.json", dump_json(intune_macos(renewalThresholdPercentage=2)))
    write(f"{d}/intune-pass.json", dump_json(intune_macos()))
    write(f"{d}/generic-fail-declared-10.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/generic-pass-declared-90.mobileconfig", plist_xml(generic_profile()))


def challenge_in_file():
    d = "challenge-in-file"
    write(f"{d}/jamf-fail.xml", jamf_xml(jamf_profile(), redeploy=120))
    write(f"{d}/jamf-pass-variable.xml", jamf_xml(jamf_profile(scep_settings(JAMF_SUBJECT, Challenge="$MSSCEPCHALLENGE")), redeploy=120))
    write(f"{d}/kandji-fail.json", kandji_json(kandji_profile()))
    write(f"{d}/kandji-pass-placeholder.mobileconfig", plist_xml(kandji_profile(scep_settings(KANDJI_SUBJECT, Challenge="YOUR_SCEP_SECRET_KEY_FROM_OKTA"))))
    write(f"{d}/generic-fail.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/generic-pass-fleet-secret.mobileconfig", plist_xml(generic_profile(scep_settings(Challenge="$FLEET_SECRET_OKTA_SCEP_CHALLENGE"))))
    write(f"{d}/intune-pass-not-applicable.json", dump_json(intune_macos()))


WINDOWS_SAFE_SECRET = "Kx9 qZ2vT7.pR4Wz8mY1=Lb3Q7nH"


def windows_challenge_chars():
    d = "windows-challenge-chars"
    def on_windows(text, runs_on_windows=True):
        obj = json.loads(text)
        obj["runs_on_windows"] = runs_on_windows
        return json.dumps(obj, indent=2) + "\n"
    write(f"{d}/kandji-fail.json", on_windows(kandji_json(kandji_profile())))
    write(f"{d}/kandji-pass.json", on_windows(kandji_json(kandji_profile(scep_settings(KANDJI_SUBJECT, Challenge=WINDOWS_SAFE_SECRET)))))
    write(f"{d}/kandji-pass-mac-only.json", on_windows(kandji_json(kandji_profile()), runs_on_windows=False))
    write(f"{d}/generic-pass-macos.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/intune-pass-not-applicable.json", dump_json(intune_windows()))


def windows_key_storage():
    d = "windows-key-storage"
    write(f"{d}/intune-fail-software-ksp.json", dump_json(intune_windows(keyStorageProvider="useSoftwareKsp")))
    write(f"{d}/intune-fail-4096-on-tpm.json", dump_json(intune_windows(keySize="size4096", keyStorageProvider="useTpmKspOtherwiseFail")))
    write(f"{d}/intune-fail-sha1.json", dump_json(intune_windows(hashAlgorithm="sha1,sha2")))
    write(f"{d}/intune-fail-missing.json", dump_json(intune_windows(keyStorageProvider=DELETE, hashAlgorithm=DELETE)))
    write(f"{d}/intune-pass.json", dump_json(intune_windows()))
    write(f"{d}/intune-pass-macos.json", dump_json(intune_macos()))
    write(f"{d}/generic-pass-not-applicable.mobileconfig", plist_xml(generic_profile()))


def certificate_validity():
    d = "certificate-validity"
    write(f"{d}/intune-fail-two-years.json", dump_json(intune_macos(certificateValidityPeriodValue=2)))
    write(f"{d}/intune-fail-months.json", dump_json(intune_windows(certificateValidityPeriodScale="months", certificateValidityPeriodValue=13)))
    write(f"{d}/intune-fail-no-client-auth.json", dump_json(intune_windows(extendedKeyUsages=[{"name": "Secure Email", "objectIdentifier": "1.3.6.1.5.5.7.3.4"}])))
    write(f"{d}/intune-fail-any-purpose.json", dump_json(intune_macos(extendedKeyUsages=[
        {"name": "Client Authentication", "objectIdentifier": "1.3.6.1.5.5.7.3.2"}, {"name": "Any Purpose", "objectIdentifier": "2.5.29.37.0"}])))
    write(f"{d}/intune-pass.json", dump_json(intune_windows()))
    write(f"{d}/intune-pass-days.json", dump_json(intune_macos(certificateValidityPeriodScale="days", certificateValidityPeriodValue=365)))
    write(f"{d}/jamf-pass-not-applicable.xml", jamf_xml(jamf_profile(), redeploy=120))


def duplicate_identifier():
    """Files checked together in one run (tests/rules.rs runs this folder as a whole)."""
    d = "duplicate-identifier"
    # The same generic profile saved twice.
    write(f"{d}/generic-fail-copy-a.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/generic-fail-copy-b.mobileconfig", plist_xml(generic_profile()))
    # A Jamf export and a Kandji profile that reuse one SCEP payload UUID.
    shared = "7C6B5A49-3827-4615-A504-F3E2D1C0B9A8"
    write(f"{d}/jamf-fail-shared-payload.xml", jamf_xml(jamf_profile(payload_uuid=shared), redeploy=120))
    write(f"{d}/kandji-fail-shared-payload.json", kandji_json(kandji_profile(payload_uuid=shared)))
    # Profiles of their own.
    write(f"{d}/jamf-pass.json", jamf_json(jamf_profile(
        identifier="1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D", uuid="1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D",
        payload_uuid="2B3C4D5E-6F7A-4B8C-9DAE-1F2A3B4C5D6E"), redeploy=120))
    write(f"{d}/kandji-pass.mobileconfig", plist_xml(kandji_profile(
        identifier="com.kandji.profile.custom.other", uuid="3C4D5E6F-7A8B-4C9D-AEBF-2A3B4C5D6E7F",
        payload_id="com.kandji.profile.custom.other.scep", payload_uuid="4D5E6F7A-8B9C-4DAE-BFC0-3B4C5D6E7F80")))
    write(f"{d}/intune-pass-not-applicable.json", dump_json(intune_macos()))


def clean():
    """Profiles that pass every rule (Jamf and Kandji/Iru carry Okta's static secret, so
    challenge-in-file notes it): examples for the README and the command-line tests."""
    d = "clean"
    write(f"{d}/sceplint.toml", """# The MDM redistributes these profiles; their exports cannot show it.
[[overrides]]
files = ["kandji-*", "generic-*"]
redistribution-days = 30

# Workspace ONE's Windows custom settings: the SyncML cannot say which MDM sends it, nor
# whether the profile is re-sent before expiry.
[[overrides]]
files = ["workspace-one-*"]
vendor = "workspace-one"
redistribution-days = 30

# Jamf Pro, Kandji/Iru and Workspace ONE profiles carry the static challenge; this repository
# is private.
[[overrides]]
files = ["jamf-*", "kandji-*", "workspace-one-*"]
ignore = ["challenge-in-file"]
""")
    # Okta's dynamic SCEP through Jamf Pro: the challenge is Jamf's per-device variable.
    write(f"{d}/jamf-dynamic.xml", jamf_xml(jamf_profile(scep_settings(
        URL="https://acme.okta.com/pki/5b1c9e0a7d3f4e2b8c6a1d0e9f8b7a6c5d4e3f21/scep/dynamic",
        Challenge="$MSSCEPCHALLENGE")), redeploy=120, name="Okta Device Trust SCEP (dynamic)"))
    # Okta's Workspace ONE Windows guide: the user store, TPM if present, signing only, 2048.
    write(f"{d}/workspace-one-windows.xml", csp())
    write(f"{d}/intune-macos.json", dump_json(intune_macos(subjectNameFormatString="CN={{DeviceId}}")))
    write(f"{d}/intune-windows.json", dump_json(intune_windows(subjectNameFormatString="CN={{AAD_Device_ID}}")))
    write(f"{d}/jamf-export.xml", jamf_xml(jamf_profile(scep_settings("$SERIALNUMBER")), redeploy=120))
    write(f"{d}/kandji-api.json", kandji_json(kandji_profile()))
    write(f"{d}/generic-fleet.mobileconfig", plist_xml(generic_profile(scep_settings(
        Subject=[[["CN", "managementAttestation %HardwareUUID%"]], [["OU", "$FLEET_VAR_CERTIFICATE_RENEWAL_ID"]]],
        Challenge="$FLEET_SECRET_OKTA_SCEP_CHALLENGE"), scope="System")))


# Windows ClientCertificateInstall CSP and Fleet (issue 10) ----------------------------------------

CSP_THUMBPRINT = "3F1A9C2E7B5D4068A1C3E5F7092B4D6E8A0C1E3F"
FLEET_NODE = "$FLEET_VAR_SCEP_WINDOWS_CERTIFICATE_ID"


def csp_settings(**changes):
    """An Okta-compliant SCEP node's settings: name -> (format, data); data None writes no Data."""
    settings = {
        "ServerURL": ("chr", OKTA_URL),
        "Challenge": ("chr", WINDOWS_SAFE_SECRET),
        "SubjectName": ("chr", "CN={DeviceUid}"),
        "KeyLength": ("int", "2048"),
        "KeyUsage": ("int", "128"),
        "KeyProtection": ("int", "2"),
        "HashAlgorithm": ("chr", "SHA-2"),
        "EKUMapping": ("chr", "1.3.6.1.5.5.7.3.2"),
        "CAThumbprint": ("chr", CSP_THUMBPRINT),
        "ValidPeriod": ("chr", "Years"),
        "ValidPeriodUnits": ("int", "1"),
    }
    for key, value in changes.items():
        if value is DELETE:
            settings.pop(key, None)
        elif isinstance(value, tuple):
            settings[key] = value
        else:
            settings[key] = (settings.get(key, ("chr", ""))[0], value)
    return settings


def fleet_csp_settings(**changes):
    base = {
        "Challenge": "$FLEET_SECRET_OKTA_SCEP_CHALLENGE",
        "SubjectName": "CN=$FLEET_VAR_HOST_UUID,OU=$FLEET_VAR_CERTIFICATE_RENEWAL_ID",
    }
    base.update(changes)
    return csp_settings(**base)


def csp_item(verb, cmd, uri, fmt=None, data=None, indent="  "):
    lines = [f"{indent}<{verb}>", f"{indent}  <CmdID>{cmd}</CmdID>", f"{indent}  <Item>",
             f"{indent}    <Target>", f"{indent}      <LocURI>{uri}</LocURI>", f"{indent}    </Target>"]
    if fmt:
        lines += [f"{indent}    <Meta>", f'{indent}      <Format xmlns="syncml:metinf">{fmt}</Format>', f"{indent}    </Meta>"]
    if data is not None:
        lines.append(f"{indent}    <Data>{escape(data)}</Data>")
    lines += [f"{indent}  </Item>", f"{indent}</{verb}>"]
    return "\n".join(lines)


def csp(settings=None, store="./User", node="OktaDeviceTrust", enroll=True, wrap="atomic",
        create=True, declaration=False, stores=None, extra=(), enroll_first=False):
    """A SyncML profile for one SCEP node. `wrap`: None (a bare list, as Fleet wants), "atomic",
    or "syncml" (a whole message, as Microsoft's examples). `stores` gives a store per node
    name, to mix ./User and ./Device."""
    settings = csp_settings() if settings is None else settings
    base = lambda s: f"{s}/Vendor/MSFT/ClientCertificateInstall/SCEP/{node}"
    indent = {"atomic": "  ", "syncml": "      ", None: ""}[wrap]
    items, cmd = [], 1
    if create:
        items.append(csp_item("Add", cmd, base(store), "node", indent=indent))
        cmd += 1
    enroll_item = csp_item("Exec", 99, f"{base(store)}/Install/Enroll", indent=indent)
    if enroll and enroll_first:
        items.append(enroll_item)
    for name, (fmt, data) in settings.items():
        where = (stores or {}).get(name, store)
        items.append(csp_item("Add", cmd, f"{base(where)}/Install/{name}", fmt, data, indent=indent))
        cmd += 1
    for uri, fmt, data in extra:
        items.append(csp_item("Replace", cmd, uri, fmt, data, indent=indent))
        cmd += 1
    if enroll and not enroll_first:
        items.append(enroll_item)
    body = "\n".join(items)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if declaration else ""
    if wrap == "atomic":
        return f"{head}<Atomic>\n  <CmdID>100</CmdID>\n{body}\n</Atomic>\n"
    if wrap == "syncml":
        return (f'{head}<SyncML xmlns="SYNCML:SYNCML1.2">\n  <SyncBody>\n    <Atomic>\n      <CmdID>100</CmdID>\n'
                f"{body}\n    </Atomic>\n    <Final/>\n  </SyncBody>\n</SyncML>\n")
    return f"{head}{body}\n"


def fleet_csp(settings=None, **kw):
    kw.setdefault("node", FLEET_NODE)
    kw.setdefault("wrap", None)
    return csp(settings or fleet_csp_settings(), **kw)


def oma_settings(**changes):
    """The CSP settings as an Intune custom profile carries them: Intune's device id variable."""
    changes.setdefault("SubjectName", "CN={{AAD_Device_ID}}")
    return csp_settings(**changes)


OMA_TYPES = {"int": "omaSettingInteger", "chr": "omaSettingString", "bool": "omaSettingBoolean"}


def intune_oma(settings=None, store="./User", node="OktaDeviceTrust"):
    """An Intune custom profile (windows10CustomConfiguration) carrying the CSP's nodes as
    OMA-URI settings."""
    settings = oma_settings() if settings is None else settings
    oma = []
    for name, (fmt, data) in settings.items():
        value = int(data) if fmt == "int" and data.isdigit() else data
        entry = {
            "@odata.type": f"#microsoft.graph.{OMA_TYPES.get(fmt, 'omaSettingString')}",
            "displayName": name,
            "omaUri": f"{store}/Vendor/MSFT/ClientCertificateInstall/SCEP/{node}/Install/{name}",
            "value": value,
        }
        if name == "Challenge":
            entry["isEncrypted"] = False
        oma.append(entry)
    return dump_json({
        "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
        "id": "9d2e4f6a-8b0c-4d1e-a3f5-b7c9d1e3f5a7",
        "displayName": "Okta Device Trust - Windows SCEP (custom)",
        "omaSettings": oma,
    })


def fleet_profile(settings=None, **kw):
    """A Fleet profile in a GitOps repository: Fleet's secret for the challenge, the renewal id
    in the Subject's OU, the host UUID in the CN."""
    settings = settings or scep_settings(
        Subject=[[["CN", "$FLEET_VAR_HOST_UUID"]], [["OU", "$FLEET_VAR_CERTIFICATE_RENEWAL_ID"]]],
        Challenge="$FLEET_SECRET_OKTA_SCEP_CHALLENGE")
    kw.setdefault("identifier", "com.example.fleet.okta-scep")
    kw.setdefault("uuid", "B4E6A8C0-2D3E-4F5A-9B1C-2D4E6F8A0B1C")
    kw.setdefault("scope", "System")
    return profile(settings, **kw)


def windows_extras(group):
    """The Windows CSP, Intune OMA-URI and Fleet fixtures of each rule's folder."""
    d = group
    w = lambda name, content: write(f"{d}/{name}", content)
    if d == "formats":
        # Every shape a Windows profile comes in, and files that name SCEP without being
        # profiles (they stay quiet).
        w("windows-bare.xml", fleet_csp())
        w("windows-atomic.xml", csp())
        w("windows-syncml.xml", csp(wrap="syncml", declaration=True))
        w("windows-device-store.xml", csp(store="."))
        w("intune-oma.json", intune_oma())
        w("intune-value-object.json", dump_json({"value": intune_windows()}))
        w("fleet-gitops-env.mobileconfig", plist_xml(fleet_profile()).replace(
            "<integer>2048</integer>", "<integer>${OKTA_KEY_SIZE}</integer>").replace(
            "<false/>", "<data>$KEY_EXTRACTABLE</data>", 1))
        w("no-scep-profile-list.plist", plist_xml({"ProfileList": [{
            "PayloadIdentifier": "com.acme.okta.scep", "PayloadContent": [
                {"PayloadType": "com.apple.security.scep", "PayloadIdentifier": "com.acme.okta.scep.scep"}]}]}))
        w("no-scep-ui-metadata.json", dump_json({"scepproperties_macscep": {
            "entityKey": "scepServerUrls", "nameResourceKey": "SCEPPolicyServerUrlsName"}}))
    elif d == "redistribution-enabled":
        w("jamf-fail-tf-redeploy-off.tf", tf_jamf_platform(jamf_profile(), mobile=True, redeploy_days_before_certificate_expires=0))
        w("jamf-pass-tf-mobile.tf", tf_jamf(jamf_profile(), kind="jamfpro_mobile_device_configuration_profile_plist",
                                             level="Device Level", redeploy_days_before_cert_expires=120))
        w("fleet-pass-csp.xml", fleet_csp())
        w("fleet-fail-csp-no-renewal-id.xml", fleet_csp(fleet_csp_settings(SubjectName="CN=$FLEET_VAR_HOST_UUID")))
        w("generic-fail-csp.xml", csp())
        w("generic-pass-csp-declared-30.xml", csp())
        w("fleet-fail-no-renewal-id.mobileconfig", plist_xml(fleet_profile(scep_settings(
            Subject=[[["CN", "$FLEET_VAR_HOST_UUID"]]], Challenge="$FLEET_SECRET_OKTA_SCEP_CHALLENGE"))))
        w("fleet-pass.mobileconfig", plist_xml(fleet_profile()))
    elif d == "key-size":
        w("jamf-fail-tf-heredoc.tf", tf_jamf(jamf_profile(scep_settings(Keysize=1024))))
        w("jamf-pass-tf-heredoc.tf", tf_jamf(jamf_profile()))
        w("intune-fail-tf.tf", tf_intune_scep(keySize="size4096"))
        w("intune-pass-tf.tf", tf_intune_scep())
        w("intune-fail-tf-variable.tf", tf_intune_scep(keySize=raw("var.key_size")))
        w("generic-pass-csp.xml", csp())
        w("generic-fail-csp-1024.xml", csp(csp_settings(KeyLength="1024")))
        w("fleet-fail-csp-missing.xml", fleet_csp(fleet_csp_settings(KeyLength=DELETE)))
        w("generic-fail-csp-misspelt.xml", csp(dict(("KeyLenght" if k == "KeyLength" else k, v) for k, v in csp_settings().items())))
        w("intune-pass-oma.json", intune_oma())
        w("intune-fail-oma-1024.json", intune_oma(oma_settings(KeyLength="1024")))
        w("fleet-fail-deferred.mobileconfig", plist_xml(fleet_profile()).replace(
            "<integer>2048</integer>", "<integer>$OKTA_KEY_SIZE</integer>"))
    elif d == "key-usage-signing-only":
        w("intune-fail-tf.tf", tf_intune_scep(keyUsage="digitalSignature,keyEncipherment"))
        w("intune-pass-tf.tf", tf_intune_scep())
        w("intune-fail-tf-oma.tf", tf_intune_windows_custom(oma_settings(KeyUsage="160")))
        w("intune-fail-tf-msgraph.tf", tf_msgraph(intune_windows(keyUsage="keyEncipherment")))
        w("generic-pass-csp.xml", csp())
        w("fleet-fail-csp-160.xml", fleet_csp(fleet_csp_settings(KeyUsage="160")))
        w("intune-fail-oma-160.json", intune_oma(oma_settings(KeyUsage="160")))
        w("intune-pass-oma.json", intune_oma())
    elif d == "static-challenge":
        w("fleet-pass-csp.xml", fleet_csp())
        w("generic-fail-csp-placeholder.xml", csp(csp_settings(Challenge="yourChallengeHere")))
        w("generic-fail-csp-missing.xml", csp(csp_settings(Challenge=DELETE)))
        w("fleet-pass-gitops-env.xml", fleet_csp(fleet_csp_settings(Challenge="$OKTA_SCEP_CHALLENGE")))
    elif d == "challenge-in-file":
        w("generic-fail-csp.xml", csp())
        w("fleet-pass-csp.xml", fleet_csp())
    elif d == "windows-challenge-chars":
        w("generic-fail-csp-underscore.xml", csp(csp_settings(Challenge="kX9#qZ2vT7_pR4Wz8mY1_Lb3Q7nH")))
        w("generic-pass-csp.xml", csp(csp_settings(Challenge=WINDOWS_SAFE_SECRET)))
    elif d == "subject-syntax":
        w("generic-fail-csp-no-equals.xml", csp(csp_settings(SubjectName="yourCnHere")))
        w("generic-pass-csp.xml", csp())
    elif d == "subject-device-identifier":
        w("generic-fail-csp.xml", csp(csp_settings(SubjectName="CN=Okta Device Trust")))
        w("fleet-pass-csp.xml", fleet_csp())
        w("generic-pass-csp.xml", csp())
    elif d == "certificate-level":
        w("jamf-fail-tf-user.tf", tf_jamf(jamf_profile(scope="User"), level="User"))
        w("jamf-pass-tf.tf", tf_jamf(jamf_profile()))
        w("fleet-fail-csp-device.xml", fleet_csp(store="./Device"))
        w("fleet-pass-csp.xml", fleet_csp())
        w("intune-fail-oma-device.json", intune_oma(store="./Device"))
        w("intune-pass-oma.json", intune_oma())
    elif d == "scep-url":
        w("generic-fail-csp-http.xml", csp(csp_settings(ServerURL="http://ndes.acme-corp.com/certsrv/mscep/mscep.dll")))
        w("generic-fail-csp-placeholder.xml", csp(csp_settings(ServerURL="yourUrlHere")))
        w("generic-pass-csp.xml", csp())
    elif d == "windows-key-storage":
        w("generic-fail-csp-default-software.xml", csp(csp_settings(KeyProtection=DELETE)))
        w("generic-fail-csp-sha1.xml", csp(csp_settings(HashAlgorithm="SHA-1+SHA-2")))
        w("generic-pass-csp.xml", csp())
        w("intune-fail-oma-software.json", intune_oma(oma_settings(KeyProtection="3")))
    elif d == "certificate-validity":
        w("generic-fail-csp-two-years.xml", csp(csp_settings(ValidPeriodUnits="2")))
        w("generic-fail-csp-no-client-auth.xml", csp(csp_settings(EKUMapping="1.3.6.1.5.5.7.3.4")))
        w("generic-pass-csp.xml", csp())
    elif d == "san-none":
        w("generic-fail-csp.xml", csp(csp_settings(SubjectAlternativeNames=("chr", "11+user@example.com"))))
        w("generic-pass-csp.xml", csp())
    elif d == "unknown-variable":
        w("fleet-fail-csp.xml", fleet_csp(fleet_csp_settings(SubjectName="CN=$FLEET_VAR_HOST_UUIDD,OU=$FLEET_VAR_CERTIFICATE_RENEWAL_ID")))
        w("fleet-pass-csp.xml", fleet_csp())


def csp_structure():
    d = "csp-structure"
    write(f"{d}/generic-pass.xml", csp(wrap="syncml"))
    write(f"{d}/generic-pass-atomic.xml", csp())
    write(f"{d}/fleet-pass.xml", fleet_csp())
    write(f"{d}/intune-pass-oma.json", intune_oma())
    write(f"{d}/generic-pass-not-applicable.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/generic-fail-no-enroll.xml", csp(enroll=False))
    write(f"{d}/generic-fail-enroll-first.xml", csp(enroll_first=True))
    write(f"{d}/generic-fail-mixed-stores.xml", csp(stores={"KeyUsage": "./Device"}))
    write(f"{d}/generic-fail-misspelt-node.xml", csp(dict(("keylength" if k == "KeyLength" else k, v) for k, v in csp_settings().items())))
    write(f"{d}/generic-fail-wrong-format.xml", csp(csp_settings(KeyLength=("chr", "2048"))))
    write(f"{d}/generic-fail-no-data.xml", csp(csp_settings(HashAlgorithm=("chr", None))))
    write(f"{d}/generic-fail-thumbprint.xml", csp(csp_settings(CAThumbprint="12345087E648875D1DF5D9F9FF89DD10")))
    write(f"{d}/intune-fail-oma-unknown-node.json", intune_oma(dict(("KeySize" if k == "KeyLength" else k, v) for k, v in csp_settings().items())))


def mdm_upload():
    d = "mdm-upload"
    write(f"{d}/fleet-pass.xml", fleet_csp())
    write(f"{d}/fleet-pass-atomic.xml", fleet_csp(wrap="atomic"))
    write(f"{d}/fleet-pass.mobileconfig", plist_xml(fleet_profile()))
    write(f"{d}/generic-pass-not-fleet.xml", csp(wrap="syncml", declaration=True))
    write(f"{d}/fleet-fail-node-name.xml", fleet_csp(node="OktaVerify"))
    write(f"{d}/fleet-fail-syncml-wrapper.xml", fleet_csp(wrap="syncml"))
    write(f"{d}/fleet-fail-declaration.xml", fleet_csp(declaration=True))
    write(f"{d}/fleet-fail-missing-nodes.xml", fleet_csp(fleet_csp_settings(CAThumbprint=DELETE, EKUMapping=DELETE), create=False))
    write(f"{d}/fleet-fail-other-node.xml", fleet_csp(extra=[("./Device/Vendor/MSFT/Policy/Config/Browser/AllowDoNotTrack", "int", "1")]))
    write(f"{d}/fleet-fail-ndes-without-renewal.xml", fleet_csp(fleet_csp_settings(
        Challenge="$FLEET_VAR_NDES_SCEP_CHALLENGE", ServerURL="$FLEET_VAR_NDES_SCEP_PROXY_URL",
        SubjectName="CN=$FLEET_VAR_HOST_UUID")))
    second = {
        "PayloadContent": scep_settings(Challenge="$FLEET_SECRET_OKTA_SCEP_CHALLENGE"),
        "PayloadDisplayName": "SCEP (second)",
        "PayloadIdentifier": "com.example.fleet.okta-scep.second",
        "PayloadType": "com.apple.security.scep",
        "PayloadUUID": "E7B9DBF3-5A6B-4C8D-AE4F-5A7B9C1D3E4F",
        "PayloadVersion": 1,
    }
    write(f"{d}/fleet-fail-two-scep-payloads.mobileconfig", plist_xml(fleet_profile(extra_payloads=[second])))
    write(f"{d}/fleet-fail-custom-ca-mismatch.mobileconfig", plist_xml(fleet_profile(scep_settings(
        URL="$FLEET_VAR_CUSTOM_SCEP_PROXY_URL_OKTA",
        Challenge="$FLEET_VAR_CUSTOM_SCEP_CHALLENGE_OKTA_STAGING",
        Subject=[[["CN", "$FLEET_VAR_HOST_UUID"]], [["OU", "$FLEET_VAR_CERTIFICATE_RENEWAL_ID"]]]))))
    named = fleet_profile(scep_settings(
        URL="$FLEET_VAR_CUSTOM_SCEP_PROXY_URL_OKTA", Challenge="$FLEET_VAR_CUSTOM_SCEP_CHALLENGE_OKTA",
        Subject=[[["CN", "$FLEET_VAR_HOST_UUID"]], [["OU", "$FLEET_VAR_CERTIFICATE_RENEWAL_ID"]]]))
    named["PayloadDisplayName"] = "Okta SCEP via $FLEET_VAR_CUSTOM_SCEP_CHALLENGE_OKTA"
    write(f"{d}/fleet-fail-ca-variable-outside.mobileconfig", plist_xml(named))


def misplaced_key():
    d = "misplaced-key"
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))
    moved = generic_profile()
    scep = moved["PayloadContent"][0]
    scep["Challenge"] = scep["PayloadContent"].pop("Challenge")
    write(f"{d}/generic-fail-payload-level.mobileconfig", plist_xml(moved))
    top = generic_profile()
    top["Keysize"] = top["PayloadContent"][0]["PayloadContent"].pop("Keysize")
    write(f"{d}/generic-fail-top-level.mobileconfig", plist_xml(top))
    fleet = fleet_profile()
    fleet["PayloadContent"][0]["KeyIsExtractable"] = False
    write(f"{d}/fleet-fail-payload-level.mobileconfig", plist_xml(fleet))
    write(f"{d}/jamf-pass.xml", jamf_xml(jamf_profile(), redeploy=120))


def not_checked():
    d = "not-checked"
    write(f"{d}/generic-pass.mobileconfig", plist_xml(generic_profile()))
    write(f"{d}/generic-pass-csp.xml", csp())
    inner = plist_xml(generic_profile()).replace(SECRET, "$OKTA_CHALLENGE")
    write(f"{d}/generic-fail-unknown-wrapper.json", dump_json({"name": "Okta SCEP", "profile_xml": inner}))
    write(f"{d}/generic-fail-unknown-xml.xml",
          "<configuration>\n  <name>Okta SCEP</name>\n  <payload_type>com.apple.security.scep</payload_type>\n</configuration>\n")
    write(f"{d}/intune-fail-unknown-shape.json", dump_json({"profiles": [intune_macos()]}))


# Profiles as code: Terraform, Fleet GitOps, IntuneCD (issue 11) -------------------------------------

def hcl_string(value):
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


def hcl_value(value, indent="  "):
    """An HCL expression for a JSON-like value (objects as `{ key = value }`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value[1:] if value.startswith("\x00") else hcl_string(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + hcl_value(v, inner) for v in value) + f"\n{indent}]"
    inner = indent + "  "
    lines = [f"{inner}{k if k.replace('_', '').isalnum() else json.dumps(k)} = {hcl_value(v, inner)}" for k, v in value.items()]
    return "{\n" + "\n".join(lines) + f"\n{indent}}}"


def raw(expression):
    """An HCL expression written as is (a reference, a function call)."""
    return "\x00" + expression


def heredoc(text, indent="    "):
    body = "".join(indent + line if line.strip() else line for line in text.splitlines(keepends=True))
    return raw(f"<<-EOT\n{body}{indent[:-2]}EOT")


def tf_resource(kind, name, attributes):
    lines = [f'resource "{kind}" "{name}" {{']
    for key, value in attributes.items():
        lines.append(f"  {key} = {hcl_value(value)}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def tf_jamf(profile_value, kind="jamfpro_macos_configuration_profile_plist", **attributes):
    attrs = {"name": "Okta Device Trust SCEP", "distribution_method": "Install Automatically",
             "redeploy_on_update": "Newly Assigned", "level": "System"}
    attrs.update(attributes)
    attrs["payloads"] = profile_value if isinstance(profile_value, str) and profile_value.startswith("\x00") else heredoc(plist_xml(profile_value))
    return tf_resource(kind, "okta_scep", attrs)


def tf_jamf_platform(profile, mobile=False, **general):
    g = {"name": "Okta Device Trust SCEP", "level": "Device Level" if mobile else "Computer Level",
         "distribution_method": "Install Automatically"}
    g.update(general)
    g["payloads"] = heredoc(plist_xml(profile), indent="      ")
    kind = "jamfplatform_pro_mobile_device_configuration_profile" if mobile else "jamfplatform_pro_macos_configuration_profile"
    return tf_resource(kind, "okta_scep", {"general": g})


def snake(key):
    out = ""
    for c in key:
        out += "_" + c.lower() if c.isupper() else c
    return out


def tf_intune_scep(**changes):
    obj = intune_macos(**changes)
    scep = {}
    for key, value in obj.items():
        if key in ("@odata.type", "id", "displayName", "description", "createdDateTime", "lastModifiedDateTime", "version", "subjectAlternativeNameType"):
            continue
        if key == "keyUsage" and isinstance(value, str):
            value = value.split(",")
        if key == "extendedKeyUsages" or key == "customSubjectAlternativeNames":
            value = [{snake(k): v for k, v in item.items()} for item in value]
        scep[snake(key)] = value
    return tf_resource("microsoft365_graph_beta_device_management_macos_device_configuration_templates", "okta_scep",
                       {"display_name": "Okta Device Trust - macOS SCEP", "scep_certificate": scep})


def tf_intune_windows_custom(settings=None):
    settings = oma_settings() if settings is None else settings
    oma = [{"odata_type": f"#microsoft.graph.{OMA_TYPES.get(fmt, 'omaSettingString')}", "display_name": name,
            "oma_uri": f"./User/Vendor/MSFT/ClientCertificateInstall/SCEP/OktaDeviceTrust/Install/{name}", "value": data}
           for name, (fmt, data) in settings.items()]
    return tf_resource("microsoft365_graph_beta_device_management_windows_custom_configuration", "okta_scep",
                       {"display_name": "Okta Device Trust - Windows SCEP (custom)", "oma_settings": oma})


def tf_msgraph(obj):
    return tf_resource("msgraph_resource", "okta_scep", {"url": "deviceManagement/deviceConfigurations", "body": obj})


def profiles_as_code():
    """Terraform and Fleet GitOps repositories, each a folder linted as a whole
    (tests/profiles_as_code.rs), and IntuneCD backups."""
    d = "profiles-as-code"
    # Terraform, Jamf Pro: a profile kept beside the .tf, deployed at computer level.
    write(f"{d}/terraform-jamf/main.tf", tf_jamf(raw('file("${path.module}/profiles/okta-scep.mobileconfig")'))
          + "\n" + tf_jamf(raw('file("${path.module}/profiles/missing.mobileconfig")')).replace('"okta_scep"', '"missing"'))
    write(f"{d}/terraform-jamf/profiles/okta-scep.mobileconfig", plist_xml(jamf_profile(scep_settings(Keysize=1024))))
    # Terraform, Jamf's own provider: a mobile profile whose redeploy is off, inline.
    write(f"{d}/terraform-jamfplatform/main.tf", tf_jamf_platform(jamf_profile(), mobile=True,
          redeploy_days_before_certificate_expires=0))
    # Terraform, Intune: the SCEP template with a variable key size, a Windows custom profile,
    # and a Graph body through msgraph.
    write(f"{d}/terraform-intune/main.tf",
          'variable "key_size" {\n  type    = string\n  default = "size2048"\n}\n\n'
          + tf_intune_scep(keySize=raw("var.key_size"), keyUsage="digitalSignature,keyEncipherment")
          + "\n" + tf_intune_windows_custom(oma_settings(KeyLength="1024"))
          + "\n" + tf_msgraph(intune_windows(hashAlgorithm="sha1")))
    # Fleet GitOps: the old layout (custom_settings) and the new (configuration_profiles, a
    # glob); a missing path.
    write(f"{d}/fleet-gitops/default.yml", "org_settings:\n  server_settings:\n    server_url: https://fleet.example.com\n")
    write(f"{d}/fleet-gitops/teams/workstations.yml",
          "name: Workstations\n"
          "controls:\n"
          "  macos_settings:\n"
          "    custom_settings:\n"
          "      - path: ../lib/macos/okta-scep.mobileconfig\n"
          "      - path: ../lib/macos/not-there.mobileconfig\n"
          "  windows_settings:\n"
          "    custom_settings:\n"
          "      - path: ../lib/windows/okta-scep.xml\n")
    write(f"{d}/fleet-gitops/fleets/servers.yml",
          "name: Servers\n"
          "controls:\n"
          "  apple_settings:\n"
          "    configuration_profiles:\n"
          "      - paths: ../lib/macos/*.mobileconfig\n")
    write(f"{d}/fleet-gitops/lib/macos/okta-scep.mobileconfig", plist_xml(fleet_profile(scep_settings(
        Subject=[[["CN", "$FLEET_VAR_HOST_UUID"]]], Challenge="$FLEET_SECRET_OKTA_SCEP_CHALLENGE"))))
    write(f"{d}/fleet-gitops/lib/windows/okta-scep.xml", fleet_csp(fleet_csp_settings(KeyUsage="160")))
    # IntuneCD: a YAML backup and a JSON one.
    import yaml
    write(f"{d}/intunecd/Device Configurations/Okta SCEP_macOSScepCertificateProfile.yaml",
          yaml.dump(apply(intune_macos(keySize="size1024"), {"id": DELETE, "version": DELETE,
                    "createdDateTime": DELETE, "lastModifiedDateTime": DELETE}), sort_keys=False))
    write(f"{d}/intunecd/Device Configurations/Okta SCEP_windows81SCEPCertificateProfile.json",
          json.dumps(apply(intune_windows(), {"id": DELETE}), indent=5) + "\n")


GROUPS = {
    "redistribution-enabled": redistribution_enabled,
    "subject-length": subject_length,
    "key-size": key_size,
    "key-usage-signing-only": key_usage_signing_only,
    "key-not-extractable": key_not_extractable,
    "all-apps-access": all_apps_access,
    "static-challenge": static_challenge,
    "formats": formats,
    "parse-error": parse_errors,
    "unused-suppression": unused_suppression,
    "config": config_tree,
    "config-errors": config_errors,
    "subject-expanded-length": subject_expanded_length,
    "unknown-variable": unknown_variable,
    "subject-device-identifier": subject_device_identifier,
    "subject-syntax": subject_syntax,
    "certificate-level": certificate_level,
    "san-none": san_none,
    "scep-url": scep_url,
    "payload-keys": payload_keys,
    "profile-structure": profile_structure,
    "redistribution-window": redistribution_window,
    "challenge-in-file": challenge_in_file,
    "windows-challenge-chars": windows_challenge_chars,
    "windows-key-storage": windows_key_storage,
    "certificate-validity": certificate_validity,
    "duplicate-identifier": duplicate_identifier,
    "clean": clean,
    "csp-structure": csp_structure,
    "mdm-upload": mdm_upload,
    "misplaced-key": misplaced_key,
    "not-checked": not_checked,
    "profiles-as-code": profiles_as_code,
}


def main():
    """Writes every group, or only those named: `make_fixtures.py key-size formats`."""
    import sys
    names = sys.argv[1:] or list(GROUPS)
    for name in names:
        keep = {p: p.read_bytes() for p in (ROOT / name).glob("signed-*")} if name == "formats" else {}
        shutil.rmtree(ROOT / name, ignore_errors=True)
        for path, data in keep.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        GROUPS[name]()
        windows_extras(name)


if __name__ == "__main__":
    main()
