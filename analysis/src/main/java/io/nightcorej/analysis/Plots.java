package io.nightcorej.analysis;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** PNG figures: latency against offered QPS per system (the shape of the paper's Figure 7) and per-hop bars. */
final class Plots {
    private static final Map<String, Color> COLORS = Map.of(
        "nightcore", new Color(0xD62728), "rpc", new Color(0x1F77B4), "openfaas", new Color(0x2CA02C));

    private Plots() {
    }

    static String label(String system) {
        return switch (system) {
            case "nightcore" -> "Nightcore-J";
            case "rpc" -> "RPC servers";
            case "openfaas" -> "OpenFaaS-style";
            default -> system;
        };
    }

    /** p50 (dashed) and p99 (solid) against offered QPS, the SLO as a dotted line; y clipped at 4× the SLO. */
    static void latencyVsQps(Comparison c, double sloMs, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560)
            .title(c.workload + ": latency vs offered load").xAxisTitle("offered QPS").yAxisTitle("latency (ms)")
            .build();
        styleCommon(chart.getStyler());
        double maxX = 0;
        double maxY = 0;
        for (var e : c.curves.entrySet()) {
            List<Level> usable = e.getValue().stream().filter(Level::usable).toList();
            if (usable.isEmpty()) continue;
            double[] x = usable.stream().mapToDouble(Level::offeredQps).toArray();
            double[] p99 = usable.stream().mapToDouble(l -> Math.min(l.p99Ms(), 4 * sloMs)).toArray();
            double[] p50 = usable.stream().mapToDouble(l -> Math.min(l.p50Ms(), 4 * sloMs)).toArray();
            Color color = COLORS.getOrDefault(e.getKey(), Color.DARK_GRAY);
            series(chart.addSeries(label(e.getKey()) + " p99", x, p99), color, SeriesLines.SOLID);
            series(chart.addSeries(label(e.getKey()) + " p50", x, p50), color, SeriesLines.DASH_DASH);
            for (double v : x) maxX = Math.max(maxX, v);
            for (double v : p99) maxY = Math.max(maxY, v);
        }
        if (maxX == 0) return;
        XYSeries slo = chart.addSeries("p99 SLO", new double[] {0, maxX}, new double[] {sloMs, sloMs});
        slo.setLineColor(Color.GRAY);
        slo.setLineStyle(SeriesLines.DOT_DOT);
        slo.setMarker(SeriesMarkers.NONE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(maxY, sloMs) * 1.1);
        chart.getStyler().setXAxisMin(0.0);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Achieved against offered QPS, with the y = x line: where a system stops keeping up. */
    static void throughput(Comparison c, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560)
            .title(c.workload + ": achieved vs offered load").xAxisTitle("offered QPS").yAxisTitle("achieved QPS")
            .build();
        styleCommon(chart.getStyler());
        double maxX = 0;
        for (var e : c.curves.entrySet()) {
            List<Level> usable = e.getValue().stream().filter(l -> l.usable() || l.generatorLimitedReps() > 0)
                .filter(l -> Double.isFinite(l.achievedQps())).toList();
            if (usable.isEmpty()) continue;
            double[] x = usable.stream().mapToDouble(Level::offeredQps).toArray();
            double[] y = usable.stream().mapToDouble(Level::achievedQps).toArray();
            series(chart.addSeries(label(e.getKey()), x, y), COLORS.getOrDefault(e.getKey(), Color.DARK_GRAY),
                SeriesLines.SOLID);
            for (double v : x) maxX = Math.max(maxX, v);
        }
        if (maxX == 0) return;
        XYSeries ideal = chart.addSeries("offered = achieved", new double[] {0, maxX}, new double[] {0, maxX});
        ideal.setLineColor(Color.GRAY);
        ideal.setLineStyle(SeriesLines.DOT_DOT);
        ideal.setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Stacked p50 per function: queueing in the engine, dispatch overhead, processing in the worker. */
    static void perHop(String title, List<PerHop.Row> rows, Path file) throws IOException {
        if (rows.isEmpty()) return;
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560).title(title)
            .xAxisTitle("function").yAxisTitle("p50 (µs)").build();
        styleCommon(chart.getStyler());
        chart.getStyler().setStacked(true);
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> names = rows.stream().map(PerHop.Row::function).toList();
        chart.addSeries("queueing", names, rows.stream().map(r -> (Number) nz(r.queueingP50Us())).toList());
        chart.addSeries("dispatch", names, rows.stream().map(r -> (Number) nz(r.dispatchP50Us())).toList());
        chart.addSeries("processing", names, rows.stream().map(r -> (Number) nz(r.processingP50Us())).toList());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double nz(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static void series(XYSeries s, Color color, BasicStroke line) {
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineStyle(line);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    private static void styleCommon(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setAntiAlias(true);
    }
}
