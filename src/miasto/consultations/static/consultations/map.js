/* global ol */
// The consultation's map: the city's own vector tiles as background, the draft's zones (from
// the page's JSON block) and the published comments (the consultation-comments tile layer,
// this consultation's only; below zoom 14 the tiles hold clusters with a `count`, drawn with
// their number). Clicking a comment brings its row of the table into view (the table is the
// map's text equivalent); clicking a cluster zooms in.
'use strict';
(function () {
    function tiles(url, name, minZoom, style) {
        return new ol.layer.VectorTile({
            minZoom: minZoom,
            style: style,
            source: new ol.source.VectorTile({
                format: new ol.format.MVT(),
                url: url.replace('{name}', name),
                tileGrid: ol.tilegrid.createXYZ({tileSize: 512})
            })
        });
    }

    function commentStyle(consultation) {
        const waiting = new ol.style.Style({
            image: new ol.style.Circle({radius: 6, fill: new ol.style.Fill({color: '#d95f02'}),
                stroke: new ol.style.Stroke({color: '#fff', width: 1.5})}),
            stroke: new ol.style.Stroke({color: '#d95f02', width: 3}),
            fill: new ol.style.Fill({color: 'rgba(217,95,2,0.25)'})
        });
        const handled = new ol.style.Style({
            image: new ol.style.Circle({radius: 6, fill: new ol.style.Fill({color: '#1b7837'}),
                stroke: new ol.style.Stroke({color: '#fff', width: 1.5})}),
            stroke: new ol.style.Stroke({color: '#1b7837', width: 3}),
            fill: new ol.style.Fill({color: 'rgba(27,120,55,0.25)'})
        });
        const clusters = {};
        function cluster(count) {
            if (!clusters[count]) {
                clusters[count] = new ol.style.Style({
                    image: new ol.style.Circle({radius: Math.min(10 + 4 * Math.log10(count), 22),
                        fill: new ol.style.Fill({color: '#7a3a00'}),
                        stroke: new ol.style.Stroke({color: '#fff', width: 2})}),
                    text: new ol.style.Text({text: String(count), font: 'bold 10px sans-serif',
                        fill: new ol.style.Fill({color: '#fff'})})
                });
            }
            return clusters[count];
        }
        return function (feature) {
            if (String(feature.get('consultation')) !== consultation) { return null; }
            const count = feature.get('count') || 1;
            if (count > 1) { return cluster(count); }
            return feature.get('handling') ? handled : waiting;
        };
    }

    function start() {
        const el = document.getElementById('consultation-map');
        const data = document.getElementById('consultation-parts');
        if (!el || !data || typeof ol === 'undefined') { return; }
        const url = el.dataset.tiles;
        const parts = new ol.source.Vector({
            features: new ol.format.GeoJSON().readFeatures(JSON.parse(JSON.parse(data.textContent)), {
                dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857'
            })
        });
        const map = new ol.Map({
            target: el,
            layers: [
                tiles(url, 'districts', 0, new ol.style.Style({
                    fill: new ol.style.Fill({color: 'rgba(235,232,226,0.6)'}),
                    stroke: new ol.style.Stroke({color: '#5a554d', width: 1})
                })),
                tiles(url, 'streets', 0, new ol.style.Style({
                    stroke: new ol.style.Stroke({color: '#7d8a96', width: 1.5})
                })),
                new ol.layer.Vector({source: parts, style: new ol.style.Style({
                    stroke: new ol.style.Stroke({color: '#1f4e9c', width: 2}),
                    fill: new ol.style.Fill({color: 'rgba(31,78,156,0.08)'})
                })}),
                tiles(url, 'consultation-comments', 0, commentStyle(el.dataset.consultation))
            ],
            view: new ol.View({center: [2150000, 6840000], zoom: 12})
        });
        if (parts.getFeatures().length) {
            map.getView().fit(parts.getExtent(), {padding: [20, 20, 20, 20]});
        }
        map.on('click', function (event) {
            map.forEachFeatureAtPixel(event.pixel, function (feature) {
                if (feature.get('count') > 1) {
                    const view = map.getView();
                    view.animate({center: event.coordinate, zoom: view.getZoom() + 2, duration: 250});
                    return true;
                }
                const row = document.getElementById('uwaga-' + feature.get('number'));
                if (row) { row.scrollIntoView({block: 'center'}); row.focus(); }
                return true;
            }, {layerFilter: function (layer) { return layer instanceof ol.layer.VectorTile; }});
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());
