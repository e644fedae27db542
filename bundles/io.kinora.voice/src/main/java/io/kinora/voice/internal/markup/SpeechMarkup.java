package io.kinora.voice.internal.markup;

import io.kinora.api.media.StageException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expressive markup Kinora accepts in a line of dialogue: a small SSML subset, read by a strict scanner of
 * our own (no XML parser, so no entities beyond the five predefined ones, no DTDs, no external references).
 *
 * <pre>
 * &lt;break time="500ms"/&gt;  &lt;break time="1.2s"/&gt;  &lt;break strength="none|x-weak|weak|medium|strong|x-strong"/&gt;
 * &lt;emphasis level="strong|moderate|reduced"&gt;...&lt;/emphasis&gt;
 * &lt;prosody rate="x-slow|slow|medium|fast|x-fast|80%|+20%|-10%" pitch="x-low|low|medium|high|x-high|+10%|-2st"
 *          volume="silent|x-soft|soft|medium|loud|x-loud|+6dB|-3dB" kinora:style="whisper|shout|normal"&gt;...&lt;/prosody&gt;
 * &lt;speak&gt;...&lt;/speak&gt; (optional wrapper)
 * </pre>
 *
 * A '&lt;' that does not open one of these tags is text ("x &lt; y", "&lt;3", "&lt;b&gt;"); entities are decoded only in a
 * line that holds markup. A malformed tag of the subset (unclosed, unknown attribute or value) is refused with a
 * {@link StageException} naming it. Limits: rate 0.5-2.0, pitch 0.5-2.0 (factor), volume -40..+12 dB, break 0-10 s.
 */
public final class SpeechMarkup {
    /** Voice quality requested for a stretch of text. */
    public enum Quality { NORMAL, WHISPER, SHOUT }

    /** Style of a stretch of text: rate and pitch factors, volume in dB, emphasis level (0 none, 1 moderate, 2 strong, -1 reduced). */
    public record Style(double rate, double pitch, double volumeDb, int emphasis, Quality quality) {
        public static final Style NORMAL = new Style(1, 1, 0, 0, Quality.NORMAL);

        public boolean isNormal() {
            return equals(NORMAL);
        }
    }

    /** One item: text in a style, or a pause. */
    public sealed interface Item permits Text, Pause {
    }

    /** Text spoken in a style; {@code offset} is where it starts in {@link #plainText()}. */
    public record Text(String text, Style style, int offset) implements Item {
    }

    /** A pause of the given seconds. */
    public record Pause(double seconds) implements Item {
    }

    private static final Pattern TAG = Pattern.compile(
            "<(/?)(speak|break|emphasis|prosody)((?:\\s+[A-Za-z:_-]+\\s*=\\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*)\\s*(/?)>");
    private static final Pattern TAG_START = Pattern.compile("<(/?)(speak|break|emphasis|prosody)[\\s/>]");
    private static final Pattern ATTR = Pattern.compile("([A-Za-z:_-]+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "speak", Set.of("version", "xmlns", "xml:lang"),
            "break", Set.of("time", "strength"),
            "emphasis", Set.of("level", "kinora:style"),
            "prosody", Set.of("rate", "pitch", "volume", "kinora:style"));

    private final List<Item> items;
    private final String plainText;
    private final boolean marked;

    private SpeechMarkup(List<Item> items, String plainText, boolean marked) {
        this.items = List.copyOf(items);
        this.plainText = plainText;
        this.marked = marked;
    }

    public List<Item> items() {
        return items;
    }

    /** The words to speak, without markup (pauses become a space). */
    public String plainText() {
        return plainText;
    }

    /** Whether the line held any markup tag. */
    public boolean marked() {
        return marked;
    }

    /** Whether any text has a style other than normal, or there is a pause. */
    public boolean expressive() {
        return items.stream().anyMatch(i -> i instanceof Pause || !((Text) i).style().isNormal());
    }

    /** @throws StageException naming the problem when the line's markup is malformed */
    public static SpeechMarkup parse(String line) {
        List<Item> items = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        if (line == null) line = "";
        if (!TAG_START.matcher(line).find()) {
            items.add(new Text(line, Style.NORMAL, 0));
            return new SpeechMarkup(items, line, false);
        }
        Deque<String> open = new ArrayDeque<>();
        Deque<Style> styles = new ArrayDeque<>();
        styles.push(Style.NORMAL);
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '<') {
                Matcher start = TAG_START.matcher(line).region(i, line.length());
                if (start.lookingAt()) {
                    Matcher m = TAG.matcher(line).region(i, line.length());
                    if (!m.lookingAt()) {
                        int end = line.indexOf('>', i);
                        String shown = end < 0 ? line.substring(i, Math.min(line.length(), i + 40)) : line.substring(i, end + 1);
                        throw new StageException("malformed markup tag " + shown + " at character " + (i + 1)
                                + " (attribute values must be quoted; see the markup reference)");
                    }
                    flush(text, styles.peek(), items, plain);
                    boolean closing = !m.group(1).isEmpty();
                    String name = m.group(2);
                    boolean selfClosing = !m.group(4).isEmpty();
                    Map<String, String> attrs = attributes(name, m.group(3));
                    if (closing) {
                        if (open.isEmpty() || !open.peek().equals(name)) {
                            throw new StageException("markup closes </" + name + "> at character " + (i + 1) + " but "
                                    + (open.isEmpty() ? "no tag is open" : "<" + open.peek() + "> is open"));
                        }
                        open.pop();
                        styles.pop();
                    } else if (name.equals("break")) {
                        double s = breakSeconds(attrs);
                        items.add(new Pause(s));
                        if (plain.length() > 0 && plain.charAt(plain.length() - 1) != ' ') plain.append(' ');
                    } else if (!selfClosing) {
                        open.push(name);
                        styles.push(apply(styles.peek(), name, attrs));
                    }
                    i = m.end();
                    continue;
                }
            }
            if (c == '&') {
                int semi = line.indexOf(';', i);
                String entity = semi < 0 ? "" : line.substring(i, semi + 1);
                String decoded = switch (entity) {
                    case "&lt;" -> "<";
                    case "&gt;" -> ">";
                    case "&amp;" -> "&";
                    case "&quot;" -> "\"";
                    case "&apos;" -> "'";
                    default -> null;
                };
                if (decoded != null) {
                    text.append(decoded);
                    i = semi + 1;
                    continue;
                }
            }
            text.append(c);
            i++;
        }
        if (!open.isEmpty()) {
            throw new StageException("markup leaves <" + open.peek() + "> open: close it with </" + open.peek() + ">");
        }
        flush(text, styles.peek(), items, plain);
        return new SpeechMarkup(items, plain.toString(), true);
    }

    private static void flush(StringBuilder text, Style style, List<Item> items, StringBuilder plain) {
        if (text.length() == 0) return;
        String s = text.toString();
        text.setLength(0);
        items.add(new Text(s, style, plain.length()));
        plain.append(s);
    }

    private static Map<String, String> attributes(String tag, String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher a = ATTR.matcher(raw == null ? "" : raw);
        while (a.find()) {
            String name = a.group(1);
            if (!ALLOWED.get(tag).contains(name)) {
                throw new StageException("markup <" + tag + "> has unknown attribute '" + name + "'; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(ALLOWED.get(tag))));
            }
            out.put(name, (a.group(2) != null ? a.group(2) : a.group(3)).trim());
        }
        return out;
    }

    private static double breakSeconds(Map<String, String> attrs) {
        String time = attrs.get("time");
        if (time != null) {
            Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s)").matcher(time.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new StageException("markup <break time=\"" + time + "\"> is not a time like 500ms or 1.5s");
            }
            double v = Double.parseDouble(m.group(1)) * (m.group(2).equals("ms") ? 0.001 : 1);
            if (v > 10) throw new StageException("markup <break time=\"" + time + "\"> is longer than 10 s");
            return v;
        }
        String strength = attrs.getOrDefault("strength", "medium");
        return switch (strength) {
            case "none" -> 0;
            case "x-weak" -> 0.1;
            case "weak" -> 0.2;
            case "medium" -> 0.4;
            case "strong" -> 0.7;
            case "x-strong" -> 1.2;
            default -> throw new StageException("markup <break strength=\"" + strength
                    + "\"> is not one of none, x-weak, weak, medium, strong, x-strong");
        };
    }

    private static Style apply(Style s, String tag, Map<String, String> attrs) {
        double rate = s.rate(), pitch = s.pitch(), volume = s.volumeDb();
        int emphasis = s.emphasis();
        Quality quality = s.quality();
        if (tag.equals("emphasis")) {
            String level = attrs.getOrDefault("level", "moderate");
            emphasis = switch (level) {
                case "strong" -> 2;
                case "moderate" -> 1;
                case "none" -> 0;
                case "reduced" -> -1;
                default -> throw new StageException("markup <emphasis level=\"" + level
                        + "\"> is not one of strong, moderate, none, reduced");
            };
        }
        if (attrs.containsKey("rate")) rate = clamp(rate * factor("rate", attrs.get("rate")), 0.5, 2.0);
        if (attrs.containsKey("pitch")) pitch = clamp(pitch * factor("pitch", attrs.get("pitch")), 0.5, 2.0);
        if (attrs.containsKey("volume")) volume = clamp(volume + decibels(attrs.get("volume")), -40, 12);
        String style = attrs.get("kinora:style");
        if (style != null) {
            quality = switch (style) {
                case "whisper" -> Quality.WHISPER;
                case "shout" -> Quality.SHOUT;
                case "normal" -> Quality.NORMAL;
                default -> throw new StageException("markup kinora:style=\"" + style
                        + "\" is not one of whisper, shout, normal");
            };
        }
        return new Style(rate, pitch, volume, emphasis, quality);
    }

    private static double factor(String what, String v) {
        String s = v.toLowerCase(Locale.ROOT);
        switch (s) {
            case "x-slow": case "x-low": return 0.6;
            case "slow": case "low": return 0.8;
            case "medium": case "default": return 1.0;
            case "fast": case "high": return 1.25;
            case "x-fast": case "x-high": return 1.5;
            default:
        }
        Matcher pct = Pattern.compile("([+-]?)(\\d+(?:\\.\\d+)?)%").matcher(s);
        if (pct.matches()) {
            double p = Double.parseDouble(pct.group(2));
            return pct.group(1).isEmpty() ? p / 100 : 1 + (pct.group(1).equals("-") ? -p : p) / 100;
        }
        Matcher st = Pattern.compile("([+-])(\\d+(?:\\.\\d+)?)st").matcher(s);
        if (what.equals("pitch") && st.matches()) {
            double semis = Double.parseDouble(st.group(2)) * (st.group(1).equals("-") ? -1 : 1);
            return Math.pow(2, semis / 12);
        }
        Matcher num = Pattern.compile("\\d+(?:\\.\\d+)?").matcher(s);
        if (what.equals("rate") && num.matches()) return Double.parseDouble(s);
        throw new StageException("markup <prosody " + what + "=\"" + v + "\"> is not understood (e.g. "
                + (what.equals("rate") ? "slow, fast, 80%, +20%" : "low, high, +10%, -2st") + ")");
    }

    private static double decibels(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        switch (s) {
            case "silent": return -40;
            case "x-soft": return -12;
            case "soft": return -6;
            case "medium": case "default": return 0;
            case "loud": return 4;
            case "x-loud": return 8;
            default:
        }
        Matcher db = Pattern.compile("([+-]?\\d+(?:\\.\\d+)?)db").matcher(s);
        if (db.matches()) return Double.parseDouble(db.group(1));
        throw new StageException("markup <prosody volume=\"" + v + "\"> is not understood (e.g. soft, loud, +6dB)");
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
