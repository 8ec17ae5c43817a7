<?xml version="1.0" encoding="UTF-8"?>
<!-- A hand-written BDOT10k extract in the 2021 model (bazaDanychObiektowTopograficznych10k:2.0):
     two buildings (OT_BUBD_A, one residential, one industrial) and two carriageways (OT_SKJZ_L, one
     with a name, one in a version that ended). -->
<gml:FeatureCollection gml:id="fc-bdot10k"
    xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:ot="urn:gugik:specyfikacje:gmlas:bazaDanychObiektowTopograficznych10k:2.0">
  <gml:featureMember>
    <ot:OT_BUBD_A gml:id="BUBD_1">
      <ot:lokalnyId>0a1b2c3d-0001</ot:lokalnyId>
      <ot:przestrzenNazw>PL.PZGiK.994.BDOT10k</ot:przestrzenNazw>
      <ot:wersjaId>2023-06-01T00:00:00</ot:wersjaId>
      <ot:poczatekWersjiObiektu>2023-06-01T00:00:00</ot:poczatekWersjiObiektu>
      <ot:kategoriaIstnienia>eksploatowany</ot:kategoriaIstnienia>
      <ot:geometria><gml:Polygon gml:id="g-bubd1" srsName="urn:ogc:def:crs:EPSG::2180"><gml:exterior><gml:LinearRing><gml:posList>403705.00 500005.00 403705.00 500020.00 403715.00 500020.00 403715.00 500005.00 403705.00 500005.00</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></ot:geometria>
      <ot:funOgolnaBudynku>1110</ot:funOgolnaBudynku>
      <ot:funSzczegolowaBudynku>1110.Dj</ot:funSzczegolowaBudynku>
      <ot:liczbaKondygnacji>2</ot:liczbaKondygnacji>
    </ot:OT_BUBD_A>
  </gml:featureMember>
  <gml:featureMember>
    <ot:OT_BUBD_A gml:id="BUBD_2">
      <ot:lokalnyId>0a1b2c3d-0002</ot:lokalnyId>
      <ot:przestrzenNazw>PL.PZGiK.994.BDOT10k</ot:przestrzenNazw>
      <ot:wersjaId>2023-06-01T00:00:00</ot:wersjaId>
      <ot:poczatekWersjiObiektu>2023-06-01T00:00:00</ot:poczatekWersjiObiektu>
      <ot:kategoriaIstnienia>eksploatowany</ot:kategoriaIstnienia>
      <ot:geometria><gml:Polygon gml:id="g-bubd2" srsName="urn:ogc:def:crs:EPSG::2180"><gml:exterior><gml:LinearRing><gml:posList>403705.00 500045.00 403705.00 500075.00 403720.00 500075.00 403720.00 500045.00 403705.00 500045.00</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></ot:geometria>
      <ot:funOgolnaBudynku>1251</ot:funOgolnaBudynku>
      <ot:funSzczegolowaBudynku>1251.Pr</ot:funSzczegolowaBudynku>
      <ot:liczbaKondygnacji>1</ot:liczbaKondygnacji>
    </ot:OT_BUBD_A>
  </gml:featureMember>
  <gml:featureMember>
    <ot:OT_SKJZ_L gml:id="SKJZ_1">
      <ot:lokalnyId>0a1b2c3d-0101</ot:lokalnyId>
      <ot:przestrzenNazw>PL.PZGiK.994.BDOT10k</ot:przestrzenNazw>
      <ot:wersjaId>2023-06-01T00:00:00</ot:wersjaId>
      <ot:poczatekWersjiObiektu>2023-06-01T00:00:00</ot:poczatekWersjiObiektu>
      <ot:kategoriaIstnienia>eksploatowany</ot:kategoriaIstnienia>
      <ot:geometria><gml:LineString gml:id="g-skjz1" srsName="urn:ogc:def:crs:EPSG::2180"><gml:posList>403690.00 500000.00 403690.00 500100.00</gml:posList></gml:LineString></ot:geometria>
      <ot:nazwa>Źródlana</ot:nazwa>
      <ot:klasaDrogi>L</ot:klasaDrogi>
      <ot:kategoriaZarzadzania>G</ot:kategoriaZarzadzania>
      <ot:nawierzchnia>bitumiczna</ot:nawierzchnia>
      <ot:liczbaJezdni>1</ot:liczbaJezdni>
    </ot:OT_SKJZ_L>
  </gml:featureMember>
  <gml:featureMember>
    <ot:OT_SKJZ_L gml:id="SKJZ_1_old">
      <ot:lokalnyId>0a1b2c3d-0101</ot:lokalnyId>
      <ot:przestrzenNazw>PL.PZGiK.994.BDOT10k</ot:przestrzenNazw>
      <ot:wersjaId>2015-06-01T00:00:00</ot:wersjaId>
      <ot:poczatekWersjiObiektu>2015-06-01T00:00:00</ot:poczatekWersjiObiektu>
      <ot:koniecWersjiObiektu>2023-06-01T00:00:00</ot:koniecWersjiObiektu>
      <ot:kategoriaIstnienia>eksploatowany</ot:kategoriaIstnienia>
      <ot:geometria><gml:LineString gml:id="g-skjz1-old" srsName="urn:ogc:def:crs:EPSG::2180"><gml:posList>403690.00 500000.00 403690.00 500090.00</gml:posList></gml:LineString></ot:geometria>
      <ot:nazwa>Źródlana</ot:nazwa>
      <ot:klasaDrogi>D</ot:klasaDrogi>
      <ot:kategoriaZarzadzania>G</ot:kategoriaZarzadzania>
    </ot:OT_SKJZ_L>
  </gml:featureMember>
  <gml:featureMember>
    <ot:OT_SKJZ_L gml:id="SKJZ_2">
      <ot:lokalnyId>0a1b2c3d-0102</ot:lokalnyId>
      <ot:przestrzenNazw>PL.PZGiK.994.BDOT10k</ot:przestrzenNazw>
      <ot:wersjaId>2023-06-01T00:00:00</ot:wersjaId>
      <ot:poczatekWersjiObiektu>2023-06-01T00:00:00</ot:poczatekWersjiObiektu>
      <ot:kategoriaIstnienia>eksploatowany</ot:kategoriaIstnienia>
      <ot:geometria><gml:LineString gml:id="g-skjz2" srsName="urn:ogc:def:crs:EPSG::2180"><gml:posList>403690.00 500100.00 403750.00 500100.00</gml:posList></gml:LineString></ot:geometria>
      <ot:nazwa>Aleja Wolności</ot:nazwa>
      <ot:klasaDrogi>Z</ot:klasaDrogi>
      <ot:kategoriaZarzadzania>P</ot:kategoriaZarzadzania>
    </ot:OT_SKJZ_L>
  </gml:featureMember>
</gml:FeatureCollection>
