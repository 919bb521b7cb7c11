package io.flowfleet.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the printer columns of a generated CRD in the order their {@link AdditionalPrinterColumn}
 * annotations are declared ({@code kubectl get} shows them in that order). fabric8's CRD generator
 * sorts them by JSON path (fabric8io/kubernetes-client#7454), which would put Age first. Runs in the
 * build right after the generator ({@code process-classes}); only the order of the column entries
 * changes, every other byte of the generated file stays as the generator wrote it.
 */
public final class PrinterColumnOrder {

  private static final String BLOCK_START = "  - additionalPrinterColumns:\n";
  private static final String ENTRY_START = "    - jsonPath:";
  private static final Pattern NAME = Pattern.compile("^      name: \"([^\"]*)\"$", Pattern.MULTILINE);

  private PrinterColumnOrder() {
  }

  /** {@code args}: the folder holding the generated {@code *-v1.yml} files. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (Class<? extends HasMetadata> type : List.of(FlowPlatform.class, WorkerGroup.class)) {
      Path file = dir.resolve(HasMetadata.getFullResourceName(type) + "-v1.yml");
      Files.writeString(file, reorder(Files.readString(file), declaredOrder(type)));
    }
  }

  static List<String> declaredOrder(Class<?> type) {
    return Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name).toList();
  }

  /** The CRD text with each version's column entries sorted by {@code order}; entries not named there keep the end. */
  static String reorder(String crd, List<String> order) {
    StringBuilder out = new StringBuilder(crd.length());
    int from = 0;
    int block;
    while ((block = crd.indexOf(BLOCK_START, from)) >= 0) {
      int entriesStart = block + BLOCK_START.length();
      int entriesEnd = entriesStart;
      // The block's entries are the lines indented deeper than the version list item.
      while (entriesEnd < crd.length() && crd.startsWith("    ", entriesEnd) && !crd.startsWith("    name:", entriesEnd)) {
        entriesEnd = crd.indexOf('\n', entriesEnd) + 1;
      }
      out.append(crd, from, entriesStart).append(sortEntries(crd.substring(entriesStart, entriesEnd), order));
      from = entriesEnd;
    }
    return out.append(crd.substring(from)).toString();
  }

  private static String sortEntries(String entries, List<String> order) {
    List<String> items = new ArrayList<>();
    int start = 0;
    int next;
    while ((next = entries.indexOf("\n" + ENTRY_START, start)) >= 0) {
      items.add(entries.substring(start, next + 1));
      start = next + 1;
    }
    items.add(entries.substring(start));
    items.sort(Comparator.comparingInt(item -> rank(item, order)));
    return String.join("", items);
  }

  private static int rank(String item, List<String> order) {
    Matcher name = NAME.matcher(item);
    int index = name.find() ? order.indexOf(name.group(1)) : -1;
    return index < 0 ? order.size() : index;
  }
}
