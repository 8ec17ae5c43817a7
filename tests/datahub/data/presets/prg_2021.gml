<?xml version="1.0" encoding="UTF-8"?>
<!-- A hand-written PRG address extract in the 2021 model (rozporządzenie w sprawie ewidencji
     miejscowości, ulic i adresów, Dz.U. 2021 poz. 1368; prgad): one place, one street, two address
     points referring to them with xlink:href. Codes with leading zeros: TERYTGminy 0807043,
     identyfikatorSIMC 0188009, identyfikatorULIC 02461, rodzaj 01. Positions as the published
     files write them: srsName EPSG:2180, easting northing. -->
<gml:FeatureCollection gml:id="fc-prg-2021"
    xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:prgad="https://geoportal.gov.pl/schemas/prgad/1.0">
  <gml:featureMember>
    <prgad:AD_Miejscowosc gml:id="MSC_0188009">
      <prgad:idIIP><prgad:AD_IdentyfikatorIIP><prgad:lokalnyId>m-0188009</prgad:lokalnyId><prgad:przestrzenNazw>PL.PZGiK.200.EMUiA</prgad:przestrzenNazw><prgad:wersjaId>2022-01-01T00:00:00</prgad:wersjaId></prgad:AD_IdentyfikatorIIP></prgad:idIIP>
      <prgad:poczatekWersjiObiektu>2022-01-01T00:00:00</prgad:poczatekWersjiObiektu>
      <prgad:nazwa>Sulechów</prgad:nazwa>
      <prgad:rodzaj>01</prgad:rodzaj>
      <prgad:identyfikatorSIMC>0188009</prgad:identyfikatorSIMC>
      <prgad:TERYTGminy>0807043</prgad:TERYTGminy>
      <prgad:georeferencja><gml:Point gml:id="g-m1" srsName="EPSG:2180"><gml:pos>500050.00 403700.00</gml:pos></gml:Point></prgad:georeferencja>
    </prgad:AD_Miejscowosc>
  </gml:featureMember>
  <gml:featureMember>
    <prgad:AD_UlicaPlac gml:id="UL_02461">
      <prgad:idIIP><prgad:AD_IdentyfikatorIIP><prgad:lokalnyId>u-02461</prgad:lokalnyId><prgad:przestrzenNazw>PL.PZGiK.200.EMUiA</prgad:przestrzenNazw><prgad:wersjaId>2022-01-01T00:00:00</prgad:wersjaId></prgad:AD_IdentyfikatorIIP></prgad:idIIP>
      <prgad:poczatekWersjiObiektu>2022-01-01T00:00:00</prgad:poczatekWersjiObiektu>
      <prgad:nazwaPelna>ul. Źródlana</prgad:nazwaPelna>
      <prgad:rodzaj>ulica</prgad:rodzaj>
      <prgad:TERYTNazwa1>Źródlana</prgad:TERYTNazwa1>
      <prgad:identyfikatorULIC>02461</prgad:identyfikatorULIC>
      <prgad:geometria><gml:LineString gml:id="g-u1" srsName="EPSG:2180"><gml:posList>500000.00 403690.00 500100.00 403690.00</gml:posList></gml:LineString></prgad:geometria>
      <prgad:miejscowosc xlink:href="#MSC_0188009"/>
    </prgad:AD_UlicaPlac>
  </gml:featureMember>
  <gml:featureMember>
    <prgad:AD_PunktAdresowy gml:id="PA_p1">
      <prgad:idIIP><prgad:AD_IdentyfikatorIIP><prgad:lokalnyId>p1</prgad:lokalnyId><prgad:przestrzenNazw>PL.PZGiK.200.EMUiA</prgad:przestrzenNazw><prgad:wersjaId>2022-01-01T00:00:00</prgad:wersjaId></prgad:AD_IdentyfikatorIIP></prgad:idIIP>
      <prgad:poczatekWersjiObiektu>2022-01-01T00:00:00</prgad:poczatekWersjiObiektu>
      <prgad:numerPorzadkowy>7A</prgad:numerPorzadkowy>
      <prgad:kodPocztowy>66-100</prgad:kodPocztowy>
      <prgad:dataNadania>2019-03-04</prgad:dataNadania>
      <prgad:pozycja><gml:Point gml:id="g-p1" srsName="EPSG:2180"><gml:pos>500012.00 403710.00</gml:pos></gml:Point></prgad:pozycja>
      <prgad:miejscowosc xlink:href="#MSC_0188009"/>
      <prgad:ulica2 xlink:href="#UL_02461"/>
    </prgad:AD_PunktAdresowy>
  </gml:featureMember>
  <gml:featureMember>
    <prgad:AD_PunktAdresowy gml:id="PA_p2">
      <prgad:idIIP><prgad:AD_IdentyfikatorIIP><prgad:lokalnyId>p2</prgad:lokalnyId><prgad:przestrzenNazw>PL.PZGiK.200.EMUiA</prgad:przestrzenNazw><prgad:wersjaId>2022-01-01T00:00:00</prgad:wersjaId></prgad:AD_IdentyfikatorIIP></prgad:idIIP>
      <prgad:poczatekWersjiObiektu>2022-01-01T00:00:00</prgad:poczatekWersjiObiektu>
      <prgad:numerPorzadkowy>9</prgad:numerPorzadkowy>
      <prgad:kodPocztowy>66-100</prgad:kodPocztowy>
      <prgad:dataNadania>2019-03-04</prgad:dataNadania>
      <prgad:pozycja><gml:Point gml:id="g-p2" srsName="EPSG:2180"><gml:pos>500060.00 403712.00</gml:pos></gml:Point></prgad:pozycja>
      <prgad:miejscowosc xlink:href="#MSC_0188009"/>
      <prgad:ulica2 xlink:href="#UL_02461"/>
    </prgad:AD_PunktAdresowy>
  </gml:featureMember>
</gml:FeatureCollection>
