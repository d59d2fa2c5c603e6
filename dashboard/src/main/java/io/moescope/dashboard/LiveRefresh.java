package io.moescope.dashboard;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.shared.Registration;

/**
 * Live views: runs a refresh on every UI poll while a component is attached. {@link MainLayout} sets the poll
 * interval; subscribing per attach means a view that leaves stops refreshing without touching the next one.
 */
public final class LiveRefresh {

    private LiveRefresh() {
    }

    public static void whileAttached(Component component, Runnable refresh) {
        component.addAttachListener(attach -> {
            Registration poll = attach.getUI().addPollListener(event -> refresh.run());
            component.addDetachListener(detach -> {
                poll.remove();
                detach.unregisterListener();
            });
        });
    }
}
