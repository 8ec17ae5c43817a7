<?xml version="1.0" encoding="UTF-8"?>
<!-- A hand-written EGiB extract in the older model (2015, namespace
     urn:gugik:specyfikacje:gmlas:ewidencjaGruntowBudynkow:1.0, identifiers in bt:BT_Identyfikator,
     area as powierzchniaEwidencyjna): two parcels, one of them in two versions. -->
<gml:FeatureCollection gml:id="fc-egib-2015"
    xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:bt="urn:gugik:specyfikacje:gmlas:modelPodstawowy:1.0"
    xmlns:egb="urn:gugik:specyfikacje:gmlas:ewidencjaGruntowBudynkow:1.0">
  <gml:featureMember>
    <egb:EGB_DzialkaEwidencyjna gml:id="PL.PZGiK.1064.EGiB_e1_2016-02-03T10-00-00">
      <egb:idIIP>
        <bt:BT_Identyfikator>
          <bt:lokalnyId>e1</bt:lokalnyId>
          <bt:przestrzenNazw>PL.PZGiK.1064.EGiB</bt:przestrzenNazw>
          <bt:wersjaId>2016-02-03T10:00:00</bt:wersjaId>
        </bt:BT_Identyfikator>
      </egb:idIIP>
      <egb:startObiekt>2010-05-06T07:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2016-02-03T10:00:00</egb:startWersjaObiekt>
      <egb:idDzialki>106401_1.0002.7</egb:idDzialki>
      <egb:powierzchniaEwidencyjna uom="ha">0.0255</egb:powierzchniaEwidencyjna>
      <egb:geometria>
        <gml:Polygon gml:id="g-e1" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403800.00 500000.00 403800.00 500015.00 403817.00 500015.00 403817.00 500000.00 403800.00 500000.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
      <egb:klasouzytek>
        <egb:EGB_Klasouzytek>
          <egb:OFU>B</egb:OFU>
          <egb:OZU>B</egb:OZU>
          <egb:powierzchnia uom="ha">0.0255</egb:powierzchnia>
        </egb:EGB_Klasouzytek>
      </egb:klasouzytek>
    </egb:EGB_DzialkaEwidencyjna>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_DzialkaEwidencyjna gml:id="PL.PZGiK.1064.EGiB_e1_2010-05-06T07-00-00">
      <egb:idIIP>
        <bt:BT_Identyfikator>
          <bt:lokalnyId>e1</bt:lokalnyId>
          <bt:przestrzenNazw>PL.PZGiK.1064.EGiB</bt:przestrzenNazw>
          <bt:wersjaId>2010-05-06T07:00:00</bt:wersjaId>
        </bt:BT_Identyfikator>
      </egb:idIIP>
      <egb:startObiekt>2010-05-06T07:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2010-05-06T07:00:00</egb:startWersjaObiekt>
      <egb:koniecWersjaObiekt>2016-02-03T10:00:00</egb:koniecWersjaObiekt>
      <egb:idDzialki>106401_1.0002.7</egb:idDzialki>
      <egb:powierzchniaEwidencyjna uom="ha">0.0300</egb:powierzchniaEwidencyjna>
      <egb:geometria>
        <gml:Polygon gml:id="g-e1-old" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403800.00 500000.00 403800.00 500020.00 403815.00 500020.00 403815.00 500000.00 403800.00 500000.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
    </egb:EGB_DzialkaEwidencyjna>
  </gml:featureMember>
  <gml:featureMember>
    <egb:EGB_DzialkaEwidencyjna gml:id="PL.PZGiK.1064.EGiB_e2_2016-02-03T10-00-00">
      <egb:idIIP>
        <bt:BT_Identyfikator>
          <bt:lokalnyId>e2</bt:lokalnyId>
          <bt:przestrzenNazw>PL.PZGiK.1064.EGiB</bt:przestrzenNazw>
          <bt:wersjaId>2016-02-03T10:00:00</bt:wersjaId>
        </bt:BT_Identyfikator>
      </egb:idIIP>
      <egb:startObiekt>2010-05-06T07:00:00</egb:startObiekt>
      <egb:startWersjaObiekt>2016-02-03T10:00:00</egb:startWersjaObiekt>
      <egb:idDzialki>106401_1.0002.8/1</egb:idDzialki>
      <egb:powierzchniaEwidencyjna uom="ha">0.0620</egb:powierzchniaEwidencyjna>
      <egb:geometria>
        <gml:Polygon gml:id="g-e2" srsName="urn:ogc:def:crs:EPSG::2180">
          <gml:exterior><gml:LinearRing><gml:posList>403800.00 500015.00 403800.00 500046.00 403820.00 500046.00 403820.00 500015.00 403800.00 500015.00</gml:posList></gml:LinearRing></gml:exterior>
        </gml:Polygon>
      </egb:geometria>
      <egb:klasouzytek>
        <egb:EGB_Klasouzytek>
          <egb:OFU>Ps</egb:OFU>
          <egb:OZU>Ps</egb:OZU>
          <egb:OZK>III</egb:OZK>
          <egb:powierzchnia uom="ha">0.0620</egb:powierzchnia>
        </egb:EGB_Klasouzytek>
      </egb:klasouzytek>
    </egb:EGB_DzialkaEwidencyjna>
  </gml:featureMember>
</gml:FeatureCollection>
