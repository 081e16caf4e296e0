"""A town with a SEPA creditor, and the readers of the files it makes."""

from pathlib import Path

import pytest
import sepaxml
from lxml import etree

from louise.accounts.models import Role
from louise.billing.services import creditor_save

from ...conftest import make_user, the_town

CREDITOR_IBAN = "DE02120300000000202051"
CREDITOR_ID = "DE98ZZZ09999999999"
SCHEMAS = Path(sepaxml.__file__).parent / "schemas"


def xsd_valid(xml: str | bytes, schema: str) -> etree._Element:
    """Parse and validate against the official XSD shipped with sepaxml; fails the test
    with the schema's own message."""
    document = etree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / f"{schema}.xsd")))
    assert xsd.validate(document), xsd.error_log
    return document


def sepa(document: etree._Element, path: str) -> list[str]:
    return [str(v) for v in document.xpath(path, namespaces={"s": document.nsmap[None]})]


@pytest.fixture
def operator(town):
    return make_user("betrieb", Role.OPERATOR)


@pytest.fixture
def creditor(operator):
    return creditor_save(by=operator, town_id=the_town().pk, creditor_name="LOUISE Bottrop",
                         creditor_id=CREDITOR_ID, iban=CREDITOR_IBAN, bic="BYLADEM1001")


def camt054(*returns: tuple[str, str], iban: str = CREDITOR_IBAN) -> bytes:
    """A bank's camt.054.001.02 notification of returned debits (end-to-end id, reason)."""
    txs = "".join(f"""
      <NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs>
        <RtrInf><Rsn><Cd>{reason}</Cd></Rsn></RtrInf></TxDtls></NtryDtls>"""
                  for e2e, reason in returns)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
 <BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-12-08T09:00:00</CreDtTm></GrpHdr>
  <Ntfctn><Id>N1</Id><CreDtTm>2026-12-08T09:00:00</CreDtTm>
   <Acct><Id><IBAN>{iban}</IBAN></Id></Acct>
   <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd>
     <Sts>BOOK</Sts><BkTxCd/>{txs}
   </Ntry>
  </Ntfctn>
 </BkToCstmrDbtCdtNtfctn>
</Document>""".encode()
