"""Polish defaults of the pages an administrator edits (:mod:`miasto.web.models`).

They describe Miasto itself (what it stores, what is known not to be accessible) and the
procedure of the act of 4 April 2019 on digital accessibility (Dz. U. 2023 poz. 1440), so that
a new installation publishes a truthful statement at once; the municipality then fills in its
own name, contact person and building. Stored in Polish: the statement is the public body's
document, kept in the official language.
"""

from __future__ import annotations

INACCESSIBLE_CONTENT = """\
- Mapa miasta jest obrazem: nie każdy jej szczegół da się przeczytać czytnikiem ekranu. Te same dane są dostępne w widoku „Tabela” na stronie mapy, w wyszukiwarce adresów i działek oraz w panelu działki.
- Mapy analiz i podglądy zbiorów danych mają obok siebie tabele z tymi samymi danymi.
- Pliki PDF wypisu i wyrysu mają język i tytuł, ale nie mają jeszcze pełnej struktury znaczników (PDF/UA): czytnik ekranu może je czytać w innej kolejności niż wzrokowo. Ta sama treść jest na stronie raportu działki (HTML).
- Zbiory danych w katalogu publikują jednostki miasta; pliki do pobrania (np. SHP, GPKG) nie są dokumentami i nie podlegają ocenie dostępności."""

EXEMPTIONS = """\
- Mapy i serwisy mapowe są wyłączone ze stosowania ustawy (art. 3 ust. 2 ustawy o dostępności cyfrowej); mimo to treść map ma odpowiedniki w tabelach i w wyszukiwarce."""

KEYBOARD_SHORTCUTS = """\
- Na każdej stronie pierwszy klawisz Tab pokazuje łącze „Przejdź do treści”.
- Mapa: strzałki przesuwają mapę, plus i minus przybliżają i oddalają, Enter otwiera działkę pod krzyżykiem, Escape zamyka panel działki.
- Wyszukiwarka: strzałki w górę i w dół wybierają wynik, Enter go otwiera, Escape zamyka listę."""

PROCEDURE = """\
Każdy ma prawo wystąpić do podmiotu publicznego z żądaniem zapewnienia dostępności cyfrowej strony internetowej, aplikacji mobilnej lub ich elementu. Można też zażądać udostępnienia informacji w formach alternatywnych, na przykład odczytania niedostępnego cyfrowo dokumentu lub opisania zawartości filmu bez audiodeskrypcji.

Żądanie powinno zawierać dane osoby, która je zgłasza, wskazanie strony internetowej lub aplikacji mobilnej albo ich elementu, którego dotyczy, oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza potrzebę otrzymania informacji w formie alternatywnej, powinna także określić dogodną dla niej formę tej informacji.

Podmiot publiczny realizuje żądanie niezwłocznie, nie później niż w ciągu 7 dni od dnia jego wystąpienia. Jeżeli dotrzymanie tego terminu nie jest możliwe, podmiot publiczny niezwłocznie informuje o tym, kiedy realizacja żądania będzie możliwa; termin ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, podmiot publiczny może zaproponować alternatywny sposób dostępu do informacji.

Jeżeli podmiot publiczny odmówi realizacji żądania zapewnienia dostępności lub alternatywnego sposobu dostępu do informacji, można złożyć skargę na takie działanie.

Po wyczerpaniu wskazanej wyżej procedury można także złożyć wniosek do Rzecznika Praw Obywatelskich (https://bip.brpo.gov.pl/)."""

ARCHITECTURE = """\
Opis dostępności architektonicznej siedziby urzędu (wejścia, schody i windy, toalety dla osób z niepełnosprawnościami, miejsca parkingowe, pętla indukcyjna, tłumacz języka migowego, wstęp z psem asystującym) uzupełnia administrator serwisu w panelu administracyjnym."""

MOBILE_APPS = """\
Miasto nie ma aplikacji mobilnej. Serwis działa w przeglądarce telefonu: na małym ekranie menu jest pod przyciskiem „Menu”, a mapa zajmuje cały ekran pod nagłówkiem."""

CONTACT_TITLE = "Kontakt"
CONTACT_BODY = """\
Serwis Miasto prowadzi urząd miasta. Dane kontaktowe urzędu (adres, telefon, e-mail, godziny pracy) uzupełnia administrator serwisu w panelu administracyjnym.

## Dane w serwisie

Za poszczególne zbiory danych odpowiadają jednostki miasta wskazane w katalogu danych jako właściciel zbioru. Błąd w danych najlepiej zgłosić jednostce, która zbiór publikuje.

## Dostępność

Problemy z dostępnością serwisu i żądania zapewnienia dostępności opisuje deklaracja dostępności."""

PRIVACY_TITLE = "Prywatność"
PRIVACY_BODY = """\
Ta strona opisuje, jakie dane o osobach przechowuje serwis Miasto i po co. Administratorem danych jest urząd miasta prowadzący serwis.

## Przeglądanie bez konta

Mapę, plany, katalog danych i analizy można przeglądać bez logowania. Serwis nie używa narzędzi analitycznych ani reklamowych i nie wczytuje niczego z serwerów innych firm.

## Konto

Osoba, która zakłada konto, podaje nazwę użytkownika, adres e-mail i hasło (przechowywane wyłącznie jako skrót), a opcjonalnie imię i nazwisko oraz język. Przy włączonym uwierzytelnianiu dwuskładnikowym serwis przechowuje sekret aplikacji uwierzytelniającej i kody odzyskiwania. Na stronie „Twoje dane” (/konto/dane/) można pobrać wszystko, co serwis przechowuje o koncie, a konto mieszkańca można usunąć.

## Dzienniki

- Dziennik logowań: nazwa użytkownika, adres IP, przeglądarka i czas logowania oraz nieudane próby (ochrona przed odgadywaniem haseł). Usuwany razem z kontem.
- Dziennik zmian (audyt): kto i kiedy zmienił dane publiczne (działki, plany, zbiory danych). Po usunięciu konta wpisy zostają bez nazwiska.
- Dzienniki serwera: błędy i ostrzeżenia potrzebne do utrzymania serwisu.

## Pliki cookie

Serwis używa tylko niezbędnych plików cookie:

- sessionid — sesja zalogowanej osoby; znika po wylogowaniu lub wygaśnięciu sesji,
- csrftoken — ochrona formularzy przed podszyciem (CSRF),
- django_language — wybrany język strony (PL/EN).

Niezbędne pliki cookie nie wymagają zgody; serwis nie używa plików cookie śledzących."""
