package org.ntkstudy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntkstudy.cli.StudyCommand;
import org.ntkstudy.jobs.StudyJob;
import org.ntkstudy.testing.SparkTestSession;
import org.ntkstudy.testing.TestData;
import org.ntkstudy.testing.TinyStudy;

/**
 * The {@code tiny} study with its data on HDFS and its output on HDFS (a MiniDFSCluster, NameNode
 * and one DataNode on 127.0.0.1 in this JVM, from hadoop-client-minicluster): every number equals
 * the file:// run's ({@link TinyStudy}) exactly, and every string too, with the HDFS locations of
 * the data and the output in place of the local ones.
 */
class HdfsTest {
  static final String FASHION = "/usr/share/datasets/fashion-mnist";

  @Test
  void tinyStudyWithDataAndOutputOnHdfsEqualsTheLocalFileRun(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(TestData.fashionMnistInstalled(), "Fashion-MNIST not installed");
    Path reference = TinyStudy.get();
    long t0 = System.nanoTime();
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      dfs.waitActive();
      FileSystem fs = dfs.getFileSystem();
      String base = fs.getUri().toString();
      org.apache.hadoop.fs.Path data = new org.apache.hadoop.fs.Path(base + "/datasets/fashion-mnist");
      fs.mkdirs(data);
      for (File f : new File(FASHION).listFiles()) {
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toURI()), data);
      }
      double startSecs = (System.nanoTime() - t0) / 1e9;

      String out = base + "/runs/tiny";
      List<String> overrides = new ArrayList<>(TinyStudy.TEST_OVERRIDES);
      overrides.add("data=" + data);
      long t1 = System.nanoTime();
      new StudyJob(StudyCommand.configFor("tiny", out, false, false, overrides, 0)).run(SparkTestSession.get());
      double runSecs = (System.nanoTime() - t1) / 1e9;
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out + "/summary.json")), "the study is on HDFS");

      Path copy = tmp.resolve("copy");
      fs.copyToLocalFile(new org.apache.hadoop.fs.Path(out), new org.apache.hadoop.fs.Path(copy.toUri()));
      Path local = Files.isDirectory(copy.resolve("tiny")) ? copy.resolve("tiny") : copy;
      StudyComparison c = new StudyComparison()
          .samePlace(FASHION, data.toString()).samePlace(reference.toString(), out).compare(reference, local);
      System.out.printf("[hdfs] MiniDFSCluster up with the data in %.1f s; tiny study hdfs:// -> hdfs:// in %.1f s; %s%n",
          startSecs, runSecs, c.summary());
      assertEquals(List.of(), c.mismatches());
      assertEquals(Map.of(), c.differing(), "every number identical to the file:// run");
      assertTrue(c.numbers() > 10_000, "compared only " + c.numbers() + " numbers");
    } finally {
      dfs.shutdown();
    }
  }

  /**
   * conf/hadoop-cloud.conf (the S3A magic committer, which submit/standalone.sh and yarn.sh add with
   * --hadoop-cloud, with spark-hadoop-cloud_2.12 3.5.8) works on Spark 3.5.9: Parquet written through
   * PathOutputCommitProtocol and BindingParquetOutputCommitter reads back whole (on hdfs:// the
   * protocol hands the commit to the file committer; s3a:// would get the magic one).
   */
  @Test
  void theHadoopCloudCommitterWritesParquet(@TempDir Path tmp) throws Exception {
    Map<String, String> committer = new java.util.LinkedHashMap<>();
    for (String line : Files.readAllLines(SparkHome.projectRoot().resolve("conf/hadoop-cloud.conf"))) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        String[] kv = l.split("\\s+", 2);
        committer.put(kv[0], kv[1]);
      }
    }
    assertEquals("org.apache.spark.internal.io.cloud.PathOutputCommitProtocol",
        committer.get("spark.sql.sources.commitProtocolClass"));
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      dfs.waitActive();
      org.apache.spark.sql.SparkSession session = SparkTestSession.get().newSession();
      committer.forEach((k, v) -> {
        if (k.startsWith("spark.sql.")) {
          session.conf().set(k, v);
        }
      });
      String out = dfs.getFileSystem().getUri() + "/committer-check.parquet";
      session.range(0, 1000, 1, 4).toDF("i").write().parquet(out);
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> back = session.read().parquet(out);
      assertEquals(1000L, back.count());
      assertEquals(499500L, back.agg(org.apache.spark.sql.functions.sum("i")).first().getLong(0));
      assertTrue(dfs.getFileSystem().exists(new org.apache.hadoop.fs.Path(out + "/_SUCCESS")), "committed");

      // The setting is honoured: a protocol class that is not on the classpath (as
      // PathOutputCommitProtocol is not on plain Apache Spark without the package) fails the write.
      org.apache.spark.sql.SparkSession missing = SparkTestSession.get().newSession();
      missing.conf().set("spark.sql.sources.commitProtocolClass", "org.apache.spark.internal.io.cloud.NotOnTheClasspath");
      Throwable t = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
          () -> missing.range(0, 10).toDF("i").write().parquet(out + "-missing"));
      boolean classNotFound = false;
      for (Throwable c = t; c != null; c = c.getCause()) {
        classNotFound |= c instanceof ClassNotFoundException;
      }
      assertTrue(classNotFound, "ClassNotFoundException: " + t);
    } finally {
      dfs.shutdown();
    }
  }
}
