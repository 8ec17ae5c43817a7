"""The WFS 2.0 XML documents that are not feature data: capabilities, feature type schemas,
stored queries and exception reports (built with lxml, which escapes every value)."""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml.builder import ElementMaker

from miasto.core.collections import Collection
from miasto.core.features import extent
from miasto.wfs.names import CODES, type_name, urn, xml_name

WFS = "http://www.opengis.net/wfs/2.0"
OWS = "http://www.opengis.net/ows/1.1"
FES = "http://www.opengis.net/fes/2.0"
GML = "http://www.opengis.net/gml/3.2"
XSD = "http://www.w3.org/2001/XMLSchema"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GET_BY_ID = "urn:ogc:def:query:OGC-WFS::GetFeatureById"
#: the answers' count when COUNT is not given
COUNT_DEFAULT = 1000

#: XML Schema types of the collections' property types
XSD_TYPES = {
    "string": "xsd:string",
    "integer": "xsd:long",
    "number": "xsd:double",
    "boolean": "xsd:boolean",
    "date": "xsd:date",
    "date-time": "xsd:dateTime",
}
GML_GEOMETRY = {
    "point": "gml:MultiPointPropertyType",
    "line": "gml:MultiCurvePropertyType",
    "polygon": "gml:MultiSurfacePropertyType",
    "any": "gml:GeometryPropertyType",
}

NSMAP = {"wfs": WFS, "ows": OWS, "fes": FES, "gml": GML, "xlink": XLINK, "xsi": XSI}
W = ElementMaker(namespace=WFS, nsmap=NSMAP)
OW = ElementMaker(namespace=OWS)
F = ElementMaker(namespace=FES)


def serialise(element: Any) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))


def exception_report(code: str, text: str, locator: str = "") -> bytes:
    attrs = {"exceptionCode": code}
    if locator:
        attrs["locator"] = locator
    report = ElementMaker(namespace=OWS, nsmap={"ows": OWS}).ExceptionReport(
        OW.Exception(OW.ExceptionText(text), **attrs), version="2.0.0"
    )
    report.set("{http://www.w3.org/XML/1998/namespace}lang", "pl")
    return serialise(report)


def _constraint(name: str, value: str, ows: bool = True) -> Any:
    maker = OW if ows else F
    return maker.Constraint(OW.NoValues(), OW.DefaultValue(value), name=name)


def _operation(name: str, url: str) -> Any:
    return OW.Operation(OW.DCP(OW.HTTP(OW.Get(**{f"{{{XLINK}}}href": url}))), name=name)


WFS_CONSTRAINTS = {
    "ImplementsBasicWFS": "FALSE", "ImplementsTransactionalWFS": "FALSE",
    "ImplementsLockingWFS": "FALSE", "KVPEncoding": "TRUE", "XMLEncoding": "FALSE",
    "SOAPEncoding": "FALSE", "ImplementsInheritance": "FALSE",
    "ImplementsRemoteResolve": "FALSE", "ImplementsResultPaging": "TRUE",
    "ImplementsStandardJoins": "FALSE", "ImplementsSpatialJoins": "FALSE",
    "ImplementsTemporalJoins": "FALSE", "ImplementsFeatureVersioning": "FALSE",
    "ManageStoredQueries": "FALSE", "ImplementsSimpleWFS": "TRUE",
}  # fmt: skip
FES_CONFORMANCE = {
    "ImplementsQuery": "TRUE", "ImplementsAdHocQuery": "TRUE", "ImplementsFunctions": "FALSE",
    "ImplementsResourceId": "TRUE", "ImplementsMinStandardFilter": "FALSE",
    "ImplementsStandardFilter": "FALSE", "ImplementsMinSpatialFilter": "TRUE",
    "ImplementsSpatialFilter": "FALSE", "ImplementsMinTemporalFilter": "FALSE",
    "ImplementsTemporalFilter": "FALSE", "ImplementsVersionNav": "FALSE",
    "ImplementsSorting": "FALSE", "ImplementsExtendedOperators": "FALSE",
    "ImplementsMinimumXPath": "FALSE", "ImplementsSchemaElementFunc": "FALSE",
}  # fmt: skip


def _feature_type(collection: Collection) -> Any:
    bbox = (extent(collection).get("spatial") or {}).get("bbox") or [[14.1, 49.0, 24.2, 54.9]]
    west, south, east, north = bbox[0]
    return W.FeatureType(
        W.Name(f"miasto:{type_name(collection)}"),
        W.Title(str(collection.title)),
        W.Abstract(str(collection.description or collection.title)),
        OW.Keywords(*[OW.Keyword(k) for k in collection.keywords]),
        W.DefaultCRS(urn(CODES[0])),
        *[W.OtherCRS(urn(code)) for code in CODES[1:]],
        W.OutputFormats(W.Format("application/gml+xml; version=3.2"), W.Format("application/json")),
        OW.WGS84BoundingBox(OW.LowerCorner(f"{west} {south}"), OW.UpperCorner(f"{east} {north}")),
    )


def capabilities(url: str, namespace: str, collections: list[Collection], title: str) -> bytes:
    # (the root declares the prefix of the feature types' names, ``miasto:``)
    root = ElementMaker(namespace=WFS, nsmap={**NSMAP, "miasto": namespace}).WFS_Capabilities(
        OW.ServiceIdentification(
            OW.Title(title),
            OW.ServiceType("WFS"),
            OW.ServiceTypeVersion("2.0.0"),
            OW.Fees("NONE"),
            OW.AccessConstraints("NONE"),
        ),
        OW.OperationsMetadata(
            *[
                _operation(name, url)
                for name in (
                    "GetCapabilities",
                    "DescribeFeatureType",
                    "GetFeature",
                    "ListStoredQueries",
                    "DescribeStoredQueries",
                )  # fmt: skip
            ],
            OW.Parameter(OW.AllowedValues(OW.Value("2.0.0")), name="version"),
            *[_constraint(name, value) for name, value in WFS_CONSTRAINTS.items()],
            _constraint("CountDefault", str(COUNT_DEFAULT)),
        ),
        W.FeatureTypeList(*[_feature_type(c) for c in collections]),
        F.Filter_Capabilities(
            F.Conformance(*[_constraint(n, v, ows=False) for n, v in FES_CONFORMANCE.items()]),
            F.Spatial_Capabilities(
                F.GeometryOperands(F.GeometryOperand(name="gml:Envelope")),
                F.SpatialOperators(F.SpatialOperator(name="BBOX")),
            ),
        ),
        version="2.0.0",
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{WFS} http://schemas.opengis.net/wfs/2.0/wfs.xsd")
    return serialise(root)


def schema(namespace: str, collections: list[Collection]) -> bytes:
    """The application schema (XSD) of the feature types, GML 3.2."""
    X = ElementMaker(namespace=XSD, nsmap={"xsd": XSD, "gml": GML, "miasto": namespace})
    parts: list[Any] = [
        X("import", namespace=GML, schemaLocation="http://schemas.opengis.net/gml/3.2.1/gml.xsd")
    ]
    for c in collections:
        name = type_name(c)
        elements = [
            X.element(name=xml_name(p.name), type=XSD_TYPES[p.type], minOccurs="0",
                      nillable="true")
            for p in c.properties
        ]  # fmt: skip
        elements.append(X.element(name="geometry", type=GML_GEOMETRY[c.geometry_type]))
        parts.append(
            X.complexType(
                X.complexContent(
                    X.extension(X.sequence(*elements), base="gml:AbstractFeatureType")
                ),
                name=f"{name}Type",
            )
        )
        parts.append(
            X.element(name=name, type=f"miasto:{name}Type", substitutionGroup="gml:AbstractFeature")
        )
    root = X.schema(*parts, targetNamespace=namespace, elementFormDefault="qualified",
                    version="1.0")  # fmt: skip
    return serialise(root)


def stored_queries() -> bytes:
    return serialise(
        W.ListStoredQueriesResponse(
            W.StoredQuery(
                W.Title("Get feature by identifier"), W.ReturnFeatureType(""), id=GET_BY_ID
            )  # fmt: skip
        )
    )


def describe_stored_queries() -> bytes:
    return serialise(
        W.DescribeStoredQueriesResponse(
            W.StoredQueryDescription(
                W.Title("Get feature by identifier"),
                W.Parameter(name="ID", type="xsd:string"),
                W.QueryExpressionText(
                    isPrivate="true",
                    language="urn:ogc:def:queryLanguage:OGC-WFS::WFS_QueryExpression",
                    returnFeatureTypes="",
                ),
                id=GET_BY_ID,
            )
        )
    )
