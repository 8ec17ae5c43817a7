import pytest
from miasto.datahub import services
from miasto.territory.models import Parcel
from tests.datahub.conftest import *  # noqa

pytestmark = pytest.mark.django_db(transaction=True)

def test_smoke(city, make_dataset, parcels_geojson, work_dir):
    ds = make_dataset("parcels")
    v = services.version_import(dataset=ds, path=parcels_geojson, source_name="dzialki.geojson")
    print(v.status, v.quality, v.feature_count, v.geometry_type, v.attributes, v.source_crs)
    assert v.status == "ready"
    assert Parcel.objects.count() == 20
