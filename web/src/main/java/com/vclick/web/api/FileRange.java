package com.vclick.web.api;

import com.vclick.web.http.ByteRange;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Streams one byte range of a file, opened only when the answer is written. */
final class FileRange implements StreamingOutput {

  private static final int BUFFER = 64 * 1024;

  private final Path file;
  private final ByteRange range;

  FileRange(Path file, ByteRange range) {
    this.file = file;
    this.range = range;
  }

  @Override
  public void write(OutputStream out) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
      long position = range.first();
      long remaining = range.length();
      while (remaining > 0) {
        buffer.clear().limit((int) Math.min(BUFFER, remaining));
        int n = channel.read(buffer, position);
        if (n < 0) {
          throw new IOException("the recording's file is shorter than stored");
        }
        out.write(buffer.array(), 0, n);
        position += n;
        remaining -= n;
      }
    }
  }
}
