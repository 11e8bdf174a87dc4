import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads Surefire's XML reports for {@code .ci/litepool test}: prints "PASSED FAILED" (test cases; a skipped one is
 * neither) and appends one line per failed test case to FAILURES: "class#method: first line of the message".
 * Run with the JDK's source launcher, so CI needs nothing beyond the JDK it builds with:
 *
 * <pre>java .ci/SurefireReports.java FAILURES report.xml...</pre>
 *
 * An XML parser instead of a text match because test names and messages are escaped XML and stack traces can hold
 * anything; a report that cannot be parsed counts as one failure, named after its file.
 */
public final class SurefireReports {
    private SurefireReports() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java SurefireReports.java FAILURES [report.xml...]");
            System.exit(2);
        }
        Path failuresFile = Path.of(args[0]);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        long passed = 0;
        List<String> failed = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path report = Path.of(args[i]);
            NodeList cases;
            try {
                cases = factory.newDocumentBuilder().parse(report.toFile()).getElementsByTagName("testcase");
            } catch (Exception e) {
                failed.add(report + ": unreadable Surefire report (" + e.getMessage() + ")");
                continue;
            }
            for (int c = 0; c < cases.getLength(); c++) {
                Element testCase = (Element) cases.item(c);
                Element problem = child(testCase, "failure", "error");
                if (problem != null) {
                    failed.add(testCase.getAttribute("classname") + "#" + testCase.getAttribute("name") + ": "
                            + firstLine(problem));
                } else if (child(testCase, "skipped") == null) {
                    passed++;
                }
            }
        }
        if (!failed.isEmpty()) {
            Files.write(failuresFile, failed, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.out.println(passed + " " + failed.size());
    }

    /** The first direct child element of {@code parent} with one of {@code names}, or null. */
    private static Element child(Element parent, String... names) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && List.of(names).contains(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    /** The failure's type and the first line of its message, at most 240 characters. */
    private static String firstLine(Element problem) {
        String message = problem.getAttribute("message");
        if (message.isBlank()) {
            message = problem.getTextContent().strip();
        }
        List<String> lines = message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String line = lines.isEmpty() ? "" : lines.get(0);
        if (line.matches("Multiple Failures \\(\\d+ failures\\)") && lines.size() > 1) {
            // JUnit's assertAll: the first line only counts them; the first failure says what went wrong
            line = line + ", the first: " + lines.get(1);
        }
        if (line.length() > 240) {
            line = line.substring(0, 237) + "...";
        }
        String type = problem.getAttribute("type");
        String shortType = type.substring(type.lastIndexOf('.') + 1);
        return shortType.isEmpty() ? line : shortType + ": " + line;
    }
}
