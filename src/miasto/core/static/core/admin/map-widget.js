/* global ol, MapWidget */
// Starts each offline admin map widget (core/admin/openlayers.html) from its JSON options, in
// place of Django's inline script, which the Content-Security-Policy does not allow. The
// background is the city's own vector tiles: the admin works without internet access.
'use strict';
(function () {
    function tiles(url, name, minZoom, style) {
        return new ol.layer.VectorTile({
            minZoom: minZoom,
            declutter: false,
            style: style,
            source: new ol.source.VectorTile({
                format: new ol.format.MVT(),
                url: url.replace('{name}', name),
                tileGrid: ol.tilegrid.createXYZ({tileSize: 512, minZoom: Math.max(0, Math.ceil(minZoom))})
            })
        });
    }

    function baseLayer(url) {
        return new ol.layer.Group({
            layers: [
                tiles(url, 'districts', 0, new ol.style.Style({
                    fill: new ol.style.Fill({color: 'rgba(235,232,226,0.6)'}),
                    stroke: new ol.style.Stroke({color: '#5a554d', width: 1.5, lineDash: [6, 4]})
                })),
                tiles(url, 'parcels', 13.9999, new ol.style.Style({
                    stroke: new ol.style.Stroke({color: '#a09a90', width: 0.7})
                })),
                tiles(url, 'buildings', 13.9999, new ol.style.Style({
                    fill: new ol.style.Fill({color: '#c9c2b6'}),
                    stroke: new ol.style.Stroke({color: '#8a8378', width: 0.6})
                })),
                tiles(url, 'streets', 0, new ol.style.Style({
                    stroke: new ol.style.Stroke({color: '#7d8a96', width: 2})
                }))
            ]
        });
    }

    function start() {
        document.querySelectorAll('script[type="application/json"][id$="_map_options"]').forEach(function (el) {
            if (el.dataset.started) { return; }
            el.dataset.started = 'true';
            const options = JSON.parse(el.textContent);
            options.base_layer = baseLayer(options.tiles);
            window[options.module] = new MapWidget(options);
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
