package io.moescope.platform;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.InstanceNotFoundException;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;

/**
 * The client ids of the Kafka producers created in this JVM while it records: each producer registers its app-info
 * bean ({@code kafka.producer:type=app-info,id=<client id>}) when it is built and removes it when closed, so a
 * producer that lives only while a run is sent is seen here even though it is gone before the test can look.
 */
public final class ProducerClientIds implements NotificationListener, AutoCloseable {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<String> registered = new CopyOnWriteArrayList<>();

    private ProducerClientIds() {
    }

    /** Starts recording; {@link #close()} stops. */
    public static ProducerClientIds recording() {
        var ids = new ProducerClientIds();
        try {
            ids.server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, ids, null, null);
        } catch (InstanceNotFoundException e) {
            throw new IllegalStateException("the platform MBean server has no delegate", e);
        }
        return ids;
    }

    /** The client ids in the order their producers were built. */
    public List<String> registered() {
        return List.copyOf(registered);
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (notification instanceof MBeanServerNotification registration
                && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(registration.getType())) {
            ObjectName name = registration.getMBeanName();
            if ("kafka.producer".equals(name.getDomain()) && "app-info".equals(name.getKeyProperty("type"))) {
                // the producer's own bean, not its metrics' twin (client-id=...)
                String id = name.getKeyProperty("id");
                if (id != null) {
                    registered.add(id);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, this);
        } catch (InstanceNotFoundException | ListenerNotFoundException e) {
            throw new IllegalStateException("the recording was stopped already", e);
        }
    }
}
