package io.moescope.dashboard.users;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.moescope.platform.security.SignInThrottle;
import io.moescope.platform.security.SignInThrottle.Failures;

/**
 * Users and client addresses locked after failed sign-ins, each with a button that lifts the lock: the user who
 * mistyped too often gets back in without waiting out the lock.
 */
class SignInLocks extends VerticalLayout {

    private final SignInThrottle throttle;
    private final Grid<Failures> grid = new Grid<>(Failures.class, false);
    private final Paragraph none = new Paragraph("No user or address is locked.");

    SignInLocks(SignInThrottle throttle) {
        this.throttle = throttle;
        setId("sign-in-locks");
        setPadding(false);
        grid.setId("locks-grid");
        grid.setAllRowsVisible(true);
        grid.addColumn(Failures::key).setHeader("Locked");
        grid.addColumn(Failures::count).setHeader("Failed sign-ins in a row");
        grid.addColumn(f -> f.lockedUntil().toString()).setHeader("Until (UTC)");
        grid.addComponentColumn(this::liftButton).setHeader("");
        add(new H2("Locked sign-ins"), none, grid);
        refresh();
    }

    private Button liftButton(Failures locked) {
        var lift = new Button("Lift", click -> {
            throttle.lift(locked.key());
            refresh();
        });
        lift.addThemeVariants(ButtonVariant.LUMO_SMALL);
        lift.setId("lift-" + locked.key());
        return lift;
    }

    void refresh() {
        var locked = throttle.locked();
        grid.setItems(locked);
        grid.setVisible(!locked.isEmpty());
        none.setVisible(locked.isEmpty());
    }
}
