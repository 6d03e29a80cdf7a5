"""Load an EWP schema offline: its remote imports point to copies beside it in ../shared."""
from pathlib import Path

from lxml import etree

RAW = "https://raw.githubusercontent.com/erasmus-without-paper"
LOCAL = {
    f"{RAW}/ewp-specs-architecture/stable-v1/common-types.xsd": "ewp-specs-architecture/common-types.xsd",
    f"{RAW}/ewp-specs-types-phonenumber/stable-v1/schema.xsd": "ewp-specs-types-phonenumber/schema.xsd",
}
XML_XSD = "ewp-registry-service/src/main/resources/schemas/xml.xsd"


class _Resolver(etree.Resolver):
    def __init__(self, base: Path):
        super().__init__()
        self.base = base

    def resolve(self, url, pubid, context):
        if url in LOCAL:
            return self.resolve_filename(str(self.base / LOCAL[url]), context)
        if url in ("http://www.w3.org/2001/xml.xsd", "http://www.w3.org/2001/03/xml.xsd"):
            return self.resolve_filename(str(self.base / XML_XSD), context)
        if url.startswith(("http://", "https://")):
            raise OSError(f"no local copy of {url}")
        return None


def schema_load(xsd: Path) -> etree.XMLSchema:
    base = xsd.parents[2]  # …/erasmus-without-paper/
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    parser.resolvers.add(_Resolver(base))
    return etree.XMLSchema(etree.parse(str(xsd), parser))
