<?xml version="1.0" encoding="UTF-8"?>
<!-- A hand-written PRG address extract in the 2012 model (prg-ad, panstwowyRejestrGranicAdresy:1.0):
     one administrative unit, one place, one street and two address points. Codes with leading
     zeros: the unit's TERYT 0807043, the place's SIMC 0188009, the street's ULIC 02461. -->
<gml:FeatureCollection gml:id="fc-prg-2012"
    xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:bt="urn:gugik:specyfikacje:gmlas:modelPodstawowy:1.0"
    xmlns:prg-ad="urn:gugik:specyfikacje:gmlas:panstwowyRejestrGranicAdresy:1.0">
  <gml:featureMember>
    <prg-ad:PRG_JednostkaAdministracyjnaNazwa gml:id="PL.PZGiK.200.JA.0807043">
      <prg-ad:idIIP><bt:BT_Identyfikator><bt:lokalnyId>ja-0807043</bt:lokalnyId><bt:przestrzenNazw>PL.PZGiK.200.PRG</bt:przestrzenNazw></bt:BT_Identyfikator></prg-ad:idIIP>
      <prg-ad:nazwa>Sulechów</prg-ad:nazwa>
      <prg-ad:idTERYT>0807043</prg-ad:idTERYT>
      <prg-ad:poziom>4</prg-ad:poziom>
    </prg-ad:PRG_JednostkaAdministracyjnaNazwa>
  </gml:featureMember>
  <gml:featureMember>
    <prg-ad:PRG_MiejscowoscNazwa gml:id="PL.PZGiK.200.MSC.0188009">
      <prg-ad:idIIP><bt:BT_Identyfikator><bt:lokalnyId>msc-0188009</bt:lokalnyId><bt:przestrzenNazw>PL.PZGiK.200.PRG</bt:przestrzenNazw></bt:BT_Identyfikator></prg-ad:idIIP>
      <prg-ad:nazwa>Sulechów</prg-ad:nazwa>
      <prg-ad:idTERYT>0188009</prg-ad:idTERYT>
    </prg-ad:PRG_MiejscowoscNazwa>
  </gml:featureMember>
  <gml:featureMember>
    <prg-ad:PRG_UlicaNazwa gml:id="PL.PZGiK.200.UL.02461">
      <prg-ad:idIIP><bt:BT_Identyfikator><bt:lokalnyId>ul-02461</bt:lokalnyId><bt:przestrzenNazw>PL.PZGiK.200.PRG</bt:przestrzenNazw></bt:BT_Identyfikator></prg-ad:idIIP>
      <prg-ad:przedrostek1Czesc>ul.</prg-ad:przedrostek1Czesc>
      <prg-ad:nazwaGlownaCzesc>Źródlana</prg-ad:nazwaGlownaCzesc>
      <prg-ad:idTERYT>02461</prg-ad:idTERYT>
      <prg-ad:geometria>
        <gml:LineString gml:id="g-ul-02461" srsName="urn:ogc:def:crs:EPSG::2180"><gml:posList>403690.00 500000.00 403690.00 500100.00</gml:posList></gml:LineString>
      </prg-ad:geometria>
    </prg-ad:PRG_UlicaNazwa>
  </gml:featureMember>
  <gml:featureMember>
    <prg-ad:PRG_PunktAdresowy gml:id="PL.PZGiK.200.PA.p1">
      <prg-ad:idIIP><bt:BT_Identyfikator><bt:lokalnyId>p1</bt:lokalnyId><bt:przestrzenNazw>PL.PZGiK.200.PRG</bt:przestrzenNazw><bt:wersjaId>2019-03-04T12:00:00</bt:wersjaId></bt:BT_Identyfikator></prg-ad:idIIP>
      <prg-ad:cyklZycia><bt:BT_CyklZyciaInfo><bt:poczatekWersjiObiektu>2019-03-04T12:00:00</bt:poczatekWersjiObiektu></bt:BT_CyklZyciaInfo></prg-ad:cyklZycia>
      <prg-ad:jednostkaAdmnistracyjna>Polska</prg-ad:jednostkaAdmnistracyjna>
      <prg-ad:jednostkaAdmnistracyjna>lubuskie</prg-ad:jednostkaAdmnistracyjna>
      <prg-ad:jednostkaAdmnistracyjna>zielonogórski</prg-ad:jednostkaAdmnistracyjna>
      <prg-ad:jednostkaAdmnistracyjna>Sulechów</prg-ad:jednostkaAdmnistracyjna>
      <prg-ad:miejscowosc>Sulechów</prg-ad:miejscowosc>
      <prg-ad:ulica>Źródlana</prg-ad:ulica>
      <prg-ad:numerPorzadkowy>7A</prg-ad:numerPorzadkowy>
      <prg-ad:kodPocztowy>66-100</prg-ad:kodPocztowy>
      <prg-ad:status>istniejacy</prg-ad:status>
      <prg-ad:pozycja><gml:Point gml:id="g-p1" srsName="urn:ogc:def:crs:EPSG::2180"><gml:pos>403710.00 500012.00</gml:pos></gml:Point></prg-ad:pozycja>
      <prg-ad:komponent xlink:href="PL.PZGiK.200.JA.0807043"/>
      <prg-ad:komponent xlink:href="PL.PZGiK.200.MSC.0188009"/>
      <prg-ad:komponent xlink:href="PL.PZGiK.200.UL.02461"/>
    </prg-ad:PRG_PunktAdresowy>
  </gml:featureMember>
  <gml:featureMember>
    <prg-ad:PRG_PunktAdresowy gml:id="PL.PZGiK.200.PA.p2">
      <prg-ad:idIIP><bt:BT_Identyfikator><bt:lokalnyId>p2</bt:lokalnyId><bt:przestrzenNazw>PL.PZGiK.200.PRG</bt:przestrzenNazw><bt:wersjaId>2019-03-04T12:00:00</bt:wersjaId></bt:BT_Identyfikator></prg-ad:idIIP>
      <prg-ad:cyklZycia><bt:BT_CyklZyciaInfo><bt:poczatekWersjiObiektu>2019-03-04T12:00:00</bt:poczatekWersjiObiektu></bt:BT_CyklZyciaInfo></prg-ad:cyklZycia>
      <prg-ad:jednostkaAdmnistracyjna>Polska</prg-ad:jednostkaAdmnistracyjna>
      <prg-ad:jednostkaAdmnistracyjna>lubuskie</prg-ad:jednostkaAdmnistracyjna>
      <prg-ad:jednostkaAdmnistracyjna>zielonogórski</prg-ad:jednostkaAdmnistracyjna>
      <prg-ad:jednostkaAdmnistracyjna>Sulechów</prg-ad:jednostkaAdmnistracyjna>
      <prg-ad:miejscowosc>Sulechów</prg-ad:miejscowosc>
      <prg-ad:ulica>Źródlana</prg-ad:ulica>
      <prg-ad:numerPorzadkowy>9</prg-ad:numerPorzadkowy>
      <prg-ad:kodPocztowy>66-100</prg-ad:kodPocztowy>
      <prg-ad:status>istniejacy</prg-ad:status>
      <prg-ad:pozycja><gml:Point gml:id="g-p2" srsName="urn:ogc:def:crs:EPSG::2180"><gml:pos>403712.00 500060.00</gml:pos></gml:Point></prg-ad:pozycja>
      <prg-ad:komponent xlink:href="PL.PZGiK.200.JA.0807043"/>
      <prg-ad:komponent xlink:href="PL.PZGiK.200.MSC.0188009"/>
      <prg-ad:komponent xlink:href="PL.PZGiK.200.UL.02461"/>
    </prg-ad:PRG_PunktAdresowy>
  </gml:featureMember>
</gml:FeatureCollection>
