<?xml version="1.0" encoding="UTF-8"?>
<!-- A hand-written EGiB extract in the 2021 model (rozporządzenie z 27 lipca 2021, załącznik:
     specyfikacja pojęciowego modelu danych EGiB): three parcels, one of them also in an older
     version (koniecWersjaObiekt set), two buildings, two addresses. Coordinates in EPSG:2180
     with the EPSG axis order (northing easting), as the schema's files are written. -->
<gml:FeatureCollection gml:id="fc-egib-2021"
    xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:egb="ewidencjaGruntowIBudynkow:1.0"
    xsi:schemaLocation="ewidencjaGruntowIBudynkow:1.0 https://www.gov.pl/static/egib/EGIB.xsd">
  <gml:featureMember>
    <egb:EGB_DzialkaEwidencyjna gml:id="PL.PZGiK.1064.EGiB_d1_2024-05-06T10-00-00">
      <egb:idIIP>
        <egb:EGB_IdentyfikatorIIP>
          <egb:lokalnyId>d1</egb:lokalnyId>
          <egb:przestrzenNazw>PL.PZGiK.1064.EGiB</egb:przestrzenNazw>
          <egb:wersjaId>2024-05-06T10:00:00</egb:wersjaId>
        </egb:EGB_IdentyfikatorIIP>
      </egb:idIIP>
      <egb:startObiekt>2020-01-02T08:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2024-05-06T10:00:00</egb:startWersjaObiekt>
      <egb:idDzialki>106401_1.0001.12/3</egb:idDzialki>
      <egb:geometria>
        <gml:Polygon gml:id="g-d1" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403700.00 500000.00 403700.00 500040.00 403725.00 500040.00 403725.00 500000.00 403700.00 500000.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
      <egb:poleEwidencyjne uom="ha">0.1000</egb:poleEwidencyjne>
      <egb:dokladnoscReprezentacjiPola>4</egb:dokladnoscReprezentacjiPola>
      <egb:klasouzytek>
        <egb:EGB_Klasouzytek>
          <egb:OFU>B</egb:OFU>
          <egb:OZU>B</egb:OZU>
          <egb:powierzchnia uom="ha">0.0600</egb:powierzchnia>
        </egb:EGB_Klasouzytek>
      </egb:klasouzytek>
      <egb:klasouzytek>
        <egb:EGB_Klasouzytek>
          <egb:OFU>R</egb:OFU>
          <egb:OZU>R</egb:OZU>
          <egb:OZK>IVa</egb:OZK>
          <egb:powierzchnia uom="ha">0.0400</egb:powierzchnia>
        </egb:EGB_Klasouzytek>
      </egb:klasouzytek>
      <egb:JRG2 xlink:href="PL.PZGiK.1064.EGiB_jrg1"/>
      <egb:adresDzialki xlink:href="PL.PZGiK.1064.EGiB_a1_2024-05-06T10-00-00"/>
    </egb:EGB_DzialkaEwidencyjna>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_DzialkaEwidencyjna gml:id="PL.PZGiK.1064.EGiB_d1_2020-01-02T08-00-00">
      <egb:idIIP>
        <egb:EGB_IdentyfikatorIIP>
          <egb:lokalnyId>d1</egb:lokalnyId>
          <egb:przestrzenNazw>PL.PZGiK.1064.EGiB</egb:przestrzenNazw>
          <egb:wersjaId>2020-01-02T08:00:00</egb:wersjaId>
        </egb:EGB_IdentyfikatorIIP>
      </egb:idIIP>
      <egb:startObiekt>2020-01-02T08:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2020-01-02T08:00:00</egb:startWersjaObiekt>
      <egb:koniecWersjaObiekt>2024-05-06T10:00:00</egb:koniecWersjaObiekt>
      <egb:idDzialki>106401_1.0001.12/3</egb:idDzialki>
      <egb:geometria>
        <gml:Polygon gml:id="g-d1-old" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403700.00 500000.00 403700.00 500050.00 403725.00 500050.00 403725.00 500000.00 403700.00 500000.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
      <egb:poleEwidencyjne uom="ha">0.1250</egb:poleEwidencyjne>
      <egb:klasouzytek>
        <egb:EGB_Klasouzytek>
          <egb:OFU>R</egb:OFU>
          <egb:OZU>R</egb:OZU>
          <egb:OZK>IVa</egb:OZK>
          <egb:powierzchnia uom="ha">0.1250</egb:powierzchnia>
        </egb:EGB_Klasouzytek>
      </egb:klasouzytek>
    </egb:EGB_DzialkaEwidencyjna>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_DzialkaEwidencyjna gml:id="PL.PZGiK.1064.EGiB_d2_2024-05-06T10-00-00">
      <egb:idIIP>
        <egb:EGB_IdentyfikatorIIP>
          <egb:lokalnyId>d2</egb:lokalnyId>
          <egb:przestrzenNazw>PL.PZGiK.1064.EGiB</egb:przestrzenNazw>
          <egb:wersjaId>2024-05-06T10:00:00</egb:wersjaId>
        </egb:EGB_IdentyfikatorIIP>
      </egb:idIIP>
      <egb:startObiekt>2020-01-02T08:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2024-05-06T10:00:00</egb:startWersjaObiekt>
      <egb:idDzialki>106401_1.0001.13</egb:idDzialki>
      <egb:geometria>
        <gml:Polygon gml:id="g-d2" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403700.00 500040.00 403700.00 500080.00 403725.00 500080.00 403725.00 500040.00 403700.00 500040.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
      <egb:poleEwidencyjne uom="ha">0.1000</egb:poleEwidencyjne>
      <egb:klasouzytek>
        <egb:EGB_Klasouzytek>
          <egb:OFU>Bi</egb:OFU>
          <egb:OZU>Bi</egb:OZU>
          <egb:powierzchnia uom="ha">0.1000</egb:powierzchnia>
        </egb:EGB_Klasouzytek>
      </egb:klasouzytek>
      <egb:adresDzialki xlink:href="PL.PZGiK.1064.EGiB_a2_2024-05-06T10-00-00"/>
    </egb:EGB_DzialkaEwidencyjna>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_DzialkaEwidencyjna gml:id="PL.PZGiK.1064.EGiB_d3_2024-05-06T10-00-00">
      <egb:idIIP>
        <egb:EGB_IdentyfikatorIIP>
          <egb:lokalnyId>d3</egb:lokalnyId>
          <egb:przestrzenNazw>PL.PZGiK.1064.EGiB</egb:przestrzenNazw>
          <egb:wersjaId>2024-05-06T10:00:00</egb:wersjaId>
        </egb:EGB_IdentyfikatorIIP>
      </egb:idIIP>
      <egb:startObiekt>2021-03-04T09:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2024-05-06T10:00:00</egb:startWersjaObiekt>
      <egb:idDzialki>106401_1.0001.14</egb:idDzialki>
      <egb:geometria>
        <gml:Polygon gml:id="g-d3" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403725.00 500000.00 403725.00 500080.00 403735.00 500080.00 403735.00 500000.00 403725.00 500000.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
      <egb:poleEwidencyjne uom="ha">0.0800</egb:poleEwidencyjne>
      <egb:klasouzytek>
        <egb:EGB_Klasouzytek>
          <egb:OFU>dr</egb:OFU>
          <egb:OZU>dr</egb:OZU>
          <egb:powierzchnia uom="ha">0.0800</egb:powierzchnia>
        </egb:EGB_Klasouzytek>
      </egb:klasouzytek>
    </egb:EGB_DzialkaEwidencyjna>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_Budynek gml:id="PL.PZGiK.1064.EGiB_b1_2024-05-06T10-00-00">
      <egb:idIIP>
        <egb:EGB_IdentyfikatorIIP>
          <egb:lokalnyId>b1</egb:lokalnyId>
          <egb:przestrzenNazw>PL.PZGiK.1064.EGiB</egb:przestrzenNazw>
          <egb:wersjaId>2024-05-06T10:00:00</egb:wersjaId>
        </egb:EGB_IdentyfikatorIIP>
      </egb:idIIP>
      <egb:startObiekt>2020-01-02T08:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2024-05-06T10:00:00</egb:startWersjaObiekt>
      <egb:idBudynku>106401_1.0001.12/3.1_BUD</egb:idBudynku>
      <egb:geometria>
        <gml:Polygon gml:id="g-b1" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403705.00 500005.00 403705.00 500020.00 403715.00 500020.00 403715.00 500005.00 403705.00 500005.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
      <egb:rodzajWgKST>110</egb:rodzajWgKST>
      <egb:klasaWgPKOB>1110</egb:klasaWgPKOB>
      <egb:liczbaKondygnacjiNadziemnych>2</egb:liczbaKondygnacjiNadziemnych>
      <egb:liczbaKondygnacjiPodziemnych>1</egb:liczbaKondygnacjiPodziemnych>
      <egb:powZabudowy uom="m2">150</egb:powZabudowy>
      <egb:rokZakonczeniaBudowy>1998</egb:rokZakonczeniaBudowy>
      <egb:adresBudynku xlink:href="PL.PZGiK.1064.EGiB_a1_2024-05-06T10-00-00"/>
      <egb:dzialkaZabudowana xlink:href="PL.PZGiK.1064.EGiB_d1_2024-05-06T10-00-00"/>
    </egb:EGB_Budynek>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_Budynek gml:id="PL.PZGiK.1064.EGiB_b2_2024-05-06T10-00-00">
      <egb:idIIP>
        <egb:EGB_IdentyfikatorIIP>
          <egb:lokalnyId>b2</egb:lokalnyId>
          <egb:przestrzenNazw>PL.PZGiK.1064.EGiB</egb:przestrzenNazw>
          <egb:wersjaId>2024-05-06T10:00:00</egb:wersjaId>
        </egb:EGB_IdentyfikatorIIP>
      </egb:idIIP>
      <egb:startObiekt>2020-01-02T08:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2024-05-06T10:00:00</egb:startWersjaObiekt>
      <egb:idBudynku>106401_1.0001.13.1_BUD</egb:idBudynku>
      <egb:geometria>
        <gml:Polygon gml:id="g-b2" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403705.00 500045.00 403705.00 500075.00 403720.00 500075.00 403720.00 500045.00 403705.00 500045.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
      <egb:rodzajWgKST>110</egb:rodzajWgKST>
      <egb:klasaWgPKOB>1122</egb:klasaWgPKOB>
      <egb:liczbaKondygnacjiNadziemnych>5</egb:liczbaKondygnacjiNadziemnych>
      <egb:powZabudowy uom="m2">450</egb:powZabudowy>
      <egb:rokZakonczeniaBudowy>2015</egb:rokZakonczeniaBudowy>
      <egb:adresBudynku xlink:href="PL.PZGiK.1064.EGiB_a2_2024-05-06T10-00-00"/>
      <egb:dzialkaZabudowana xlink:href="PL.PZGiK.1064.EGiB_d2_2024-05-06T10-00-00"/>
    </egb:EGB_Budynek>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_AdresNieruchomosci gml:id="PL.PZGiK.1064.EGiB_a1_2024-05-06T10-00-00">
      <egb:idIIP>
        <egb:EGB_IdentyfikatorIIP>
          <egb:lokalnyId>a1</egb:lokalnyId>
          <egb:przestrzenNazw>PL.PZGiK.1064.EGiB</egb:przestrzenNazw>
          <egb:wersjaId>2024-05-06T10:00:00</egb:wersjaId>
        </egb:EGB_IdentyfikatorIIP>
      </egb:idIIP>
      <egb:startObiekt>2020-01-02T08:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2024-05-06T10:00:00</egb:startWersjaObiekt>
      <egb:nazwaMiejscowosci>Łódź</egb:nazwaMiejscowosci>
      <egb:idMiejscowosci>0958314</egb:idMiejscowosci>
      <egb:nazwaUlicy>ul. Źródlana</egb:nazwaUlicy>
      <egb:idNazwyUlicy>02461</egb:idNazwyUlicy>
      <egb:numerPorzadkowy>7A</egb:numerPorzadkowy>
      <egb:kodPocztowy>90-001</egb:kodPocztowy>
      <egb:geometria>
        <gml:Point gml:id="g-a1" srsName="urn:ogc:def:crs:EPSG::2180"><gml:pos>403710.00 500012.00</gml:pos></gml:Point>
      </egb:geometria>
    </egb:EGB_AdresNieruchomosci>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_AdresNieruchomosci gml:id="PL.PZGiK.1064.EGiB_a2_2024-05-06T10-00-00">
      <egb:idIIP>
        <egb:EGB_IdentyfikatorIIP>
          <egb:lokalnyId>a2</egb:lokalnyId>
          <egb:przestrzenNazw>PL.PZGiK.1064.EGiB</egb:przestrzenNazw>
          <egb:wersjaId>2024-05-06T10:00:00</egb:wersjaId>
        </egb:EGB_IdentyfikatorIIP>
      </egb:idIIP>
      <egb:startObiekt>2020-01-02T08:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2024-05-06T10:00:00</egb:startWersjaObiekt>
      <egb:nazwaMiejscowosci>Łódź</egb:nazwaMiejscowosci>
      <egb:idMiejscowosci>0958314</egb:idMiejscowosci>
      <egb:nazwaUlicy>ul. Źródlana</egb:nazwaUlicy>
      <egb:idNazwyUlicy>02461</egb:idNazwyUlicy>
      <egb:numerPorzadkowy>9</egb:numerPorzadkowy>
      <egb:kodPocztowy>90-001</egb:kodPocztowy>
      <egb:geometria>
        <gml:Point gml:id="g-a2" srsName="urn:ogc:def:crs:EPSG::2180"><gml:pos>403712.00 500060.00</gml:pos></gml:Point>
      </egb:geometria>
    </egb:EGB_AdresNieruchomosci>
  </gml:featureMember>
</gml:FeatureCollection>
