package com.vclick.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void recordsEndWithCrLfAndOnlyFieldsThatNeedItAreQuoted() {
    String csv =
        new Csv()
            .row(List.of("callId", "origin"))
            .row(Arrays.asList("a", null, "", "x,y", "say \"hi\"", "two\nlines", "cr\rhere"))
            .toString();
    assertEquals(
        "callId,origin\r\na,,,\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n", csv);
  }

  @Test
  void cellsThatASpreadsheetWouldReadAsFormulasAreDefused() {
    assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", Csv.cell("=HYPERLINK(\"x\")"));
    assertEquals("'+1", Csv.cell("+1"));
    assertEquals("'-1", Csv.cell("-1"));
    assertEquals("'@SUM(A1)", Csv.cell("@SUM(A1)"));
    assertEquals("'\tx", Csv.cell("\tx"));
    assertEquals("\"'=1,2\"", Csv.cell("=1,2"), "defused, then quoted");
    assertEquals("https://meet.example.com", Csv.cell("https://meet.example.com"));
    assertEquals("a=b", Csv.cell("a=b"), "only a leading character counts");
  }
}
