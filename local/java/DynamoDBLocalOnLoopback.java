// Starts AWS's DynamoDB Local bound to one address (127.0.0.1 by default) instead of every
// interface, and ends it when its parent process dies. Run as a single-file source program:
//   java -cp DynamoDBLocal.jar local/java/DynamoDBLocalOnLoopback.java <DynamoDB Local options>
// DynamoDB Local has no option for the address it listens on; its Jetty connector has one.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

public class DynamoDBLocalOnLoopback {
  public static void main(String[] args) throws Exception {
    // Ctrl-C and a closed terminal reach the whole process group; the parent stops this process
    // (SIGTERM) once the queue has drained into it, so those two signals are ignored here.
    Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
    Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    String host = System.getProperty("pageviews.host", "127.0.0.1");
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost(host);
    proxy.start();
    // stdin is a pipe from the parent: end of input means the parent is gone, even after kill -9.
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) { }
      } catch (Exception ignored) { }
      Runtime.getRuntime().halt(0);
    });
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
