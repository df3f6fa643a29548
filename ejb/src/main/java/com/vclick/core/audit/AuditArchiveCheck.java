package com.vclick.core.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Verifies the archived part of the trail and its link to the part in the database: the files, in
 * order, form one chain from the genesis (every entry's hash, link and, from sealing on, seal; each
 * file's sealed end); the chain in the database starts exactly where the last file ends. Plain Java
 * over the archive folder.
 */
public final class AuditArchiveCheck {

  /**
   * What the archive says.
   *
   * @param files how many archive files were read
   * @param entries how many archived entries were checked (0 when only the link was checked)
   * @param problem what is wrong, or null
   */
  public record Result(int files, long entries, String problem) {

    public boolean intact() {
      return problem == null;
    }
  }

  private final AuditKey key;

  public AuditArchiveCheck(AuditKey key) {
    this.key = key;
  }

  /**
   * Checks the archive against the database's chain start.
   *
   * @param folder the archive folder
   * @param start where the chain in the database starts
   * @param full whether to check every archived entry, or only the last file's sealed end and its
   *     link to the database
   */
  public Result check(Path folder, AuditChainStart start, boolean full) {
    List<Path> files;
    try {
      files = AuditArchiveFile.listBefore(folder, start.firstSequence());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      return start.firstSequence() == 1 && AuditHash.GENESIS.equals(start.firstPreviousHash())
          ? new Result(0, 0, null)
          : new Result(
              0,
              0,
              "entries before "
                  + start.firstSequence()
                  + " were archived, but the archive folder holds no file");
    }
    try {
      return full ? walk(files, start) : linkOnly(files, start);
    } catch (IllegalArgumentException e) {
      return new Result(files.size(), 0, e.getMessage());
    }
  }

  private Result linkOnly(List<Path> files, AuditChainStart start) {
    AuditArchiveFile.Contents last = AuditArchiveFile.read(files.get(files.size() - 1));
    String problem = endProblem(last, files.get(files.size() - 1));
    if (problem == null) {
      problem = linkProblem(last.lastSequence(), last.lastHash(), start);
    }
    return new Result(files.size(), 0, problem);
  }

  private Result walk(List<Path> files, AuditChainStart start) {
    // Archived entries are checked as sealed from wherever the database's start says sealing began.
    boolean sealed = key.present() && start.sealedFrom() > 0;
    var chain =
        new AuditChainCheck(
            sealed ? key : AuditKey.none(),
            new AuditChainStart(
                1,
                AuditHash.GENESIS,
                start.sealedFrom(),
                sealed ? key.sealStart(1, AuditHash.GENESIS, start.sealedFrom()) : null));
    long entries = 0;
    for (Path file : files) {
      AuditArchiveFile.Contents contents = AuditArchiveFile.read(file);
      if (contents.firstSequence() != chain.nextSequence()
          || !contents.previousHash().equals(chain.lastHash())) {
        return new Result(
            files.size(), entries, file.getFileName() + " does not continue the file before it");
      }
      for (AuditEntry entry : contents.entries()) {
        entries++;
        if (!chain.accept(entry)) {
          AuditVerification broken = chain.finish(entry.sequence(), entry.hash());
          return new Result(files.size(), entries, file.getFileName() + ": " + broken.problem());
        }
      }
      String problem = endProblem(contents, file);
      if (problem == null
          && (contents.lastSequence() != chain.nextSequence() - 1
              || !contents.lastHash().equals(chain.lastHash()))) {
        problem = file.getFileName() + " does not end where its entries do";
      }
      if (problem != null) {
        return new Result(files.size(), entries, problem);
      }
    }
    return new Result(
        files.size(), entries, linkProblem(chain.nextSequence() - 1, chain.lastHash(), start));
  }

  private String endProblem(AuditArchiveFile.Contents contents, Path file) {
    if (key.present()
        && !key.sealArchiveEnd(contents.lastSequence(), contents.lastHash())
            .equals(contents.endSeal())) {
      return file.getFileName() + "'s end is not sealed with the audit key";
    }
    return null;
  }

  private static String linkProblem(long lastSequence, String lastHash, AuditChainStart start) {
    if (start.firstSequence() != lastSequence + 1 || !start.firstPreviousHash().equals(lastHash)) {
      return "the chain in the database does not start where the archive ends (entry "
          + (lastSequence + 1)
          + ")";
    }
    return null;
  }
}
